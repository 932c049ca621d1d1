/** A tenant's API clients: machine credentials for the client-credentials grant, scoped and revocable. */
package io.ventiapi.platform.apiclient;
