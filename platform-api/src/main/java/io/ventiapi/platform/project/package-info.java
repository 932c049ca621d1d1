/**
 * Projects: an API to test (target base URL, environment, scan defaults) and the test identities
 * a scan acts as, whose credentials are sealed at rest and never shown again once set.
 */
package io.ventiapi.platform.project;
