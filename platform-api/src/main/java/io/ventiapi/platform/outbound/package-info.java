/** What the platform may connect to on a tenant's say-so: the guard that keeps it from becoming an SSRF tool. */
package io.ventiapi.platform.outbound;
