/** A tenant's members: people who sign in to the portal, each with one role. */
package io.ventiapi.platform.member;
