/** Tenants: the platform operator creates, suspends and reactivates them. */
package io.ventiapi.platform.tenant;
