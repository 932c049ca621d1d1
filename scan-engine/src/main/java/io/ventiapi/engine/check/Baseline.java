package io.ventiapi.engine.check;

import io.ventiapi.engine.http.ProbeResponse;
import io.ventiapi.engine.identity.IdentitySession;
import io.ventiapi.engine.plan.PlannedOperation;
import io.ventiapi.engine.synth.SynthesizedRequest;

/**
 * The reference exchange of an operation: a valid request sent as the primary identity, and its response.
 * Checks derive their probes from the request and compare their responses with this one.
 *
 * @param operation the operation
 * @param request the valid request, without credentials
 * @param identity the identity it was sent as
 * @param response what the target answered
 */
public record Baseline(
        PlannedOperation operation, SynthesizedRequest request, IdentitySession identity, ProbeResponse response) {}
