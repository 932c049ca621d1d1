/** External OIDC issuers a tenant trusts for its own people (enterprise single sign-on). */
package io.ventiapi.platform.issuer;
