/** Types every feature shares: roles and scopes, the acting principal, user-facing errors. */
package io.ventiapi.platform.common;
