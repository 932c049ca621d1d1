/** GraphQL plumbing every feature's controllers share: limits, errors, paging, scalars. */
package io.ventiapi.platform.graphql;
