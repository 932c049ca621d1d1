package io.ventiapi.platform.spec;

import java.util.List;

/**
 * An operation a document describes.
 *
 * @param method upper-case HTTP method
 * @param path the path template, e.g. {@code /pets/{petId}}
 * @param operationId its operationId, if it has one
 * @param security alternatives, any one of which is enough: each names the security schemes that
 *     together satisfy it; empty when the operation needs no authentication
 */
public record SpecOperation(String method, String path, String operationId, List<List<String>> security) {}
