package io.ventiapi.engine.plan;

/**
 * A security scheme the document declares, reduced to what the engine needs to authenticate.
 *
 * @param name the scheme's key in the document
 * @param type {@code apiKey}, {@code http}, {@code oauth2}, {@code openIdConnect} or {@code mutualTLS}
 * @param in for API keys: {@code header}, {@code query} or {@code cookie}; else null
 * @param parameterName for API keys: the header, query or cookie name; else null
 * @param httpScheme for http schemes: {@code bearer}, {@code basic}, ...; else null
 * @param tokenUrl for OAuth2 client credentials or password flows: the token URL; else null
 */
public record SecuritySchemeInfo(
        String name, String type, String in, String parameterName, String httpScheme, String tokenUrl) {}
