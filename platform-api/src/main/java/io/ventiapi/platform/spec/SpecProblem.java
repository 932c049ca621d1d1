package io.ventiapi.platform.spec;

/**
 * Something wrong with a document.
 *
 * @param location where: an attribute path such as {@code paths.'/pets'(get).responses}, a JSON
 *     pointer, or {@code line 3, column 7}
 * @param message what is wrong there
 */
public record SpecProblem(String location, String message) {}
