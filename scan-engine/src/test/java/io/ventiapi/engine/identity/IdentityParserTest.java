package io.ventiapi.engine.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The command-line form of an identity: what the platform writes is what the engine reads. */
class IdentityParserTest {

    @Test
    void readsAnOptionHonouringEscapedCommasAndBackslashes() {
        String identity = "type=oauth2,client-secret=a\\,b,token-url=https://idp.example.com/token,scope=x";

        assertThat(IdentityParser.option(identity, "token-url")).isEqualTo("https://idp.example.com/token");
        assertThat(IdentityParser.option(identity, "client-secret")).isEqualTo("a,b");
        assertThat(IdentityParser.option("type=bearer,token=x", "token-url")).isNull();
        // an escaped comma is part of a value, not the start of a token-url option
        assertThat(IdentityParser.option("type=basic,password=x\\,token-url=http://evil", "token-url"))
                .isNull();
    }

    @Test
    void anyValueRoundTripsThroughItsEscapedForm() {
        for (String value : new String[] {"u\\", "a,b", "\\,", "c:\\dir\\", ",,\\\\,", "plain"}) {
            var identity = "type=basic,username=" + IdentityParser.escape(value) + ",password="
                    + IdentityParser.escape("pw," + value);

            assertThat(IdentityParser.option(identity, "username")).as(value).isEqualTo(value);
            assertThat(IdentityParser.option(identity, "password")).as(value).isEqualTo("pw," + value);
            assertThat(IdentityParser.parse(identity)).isEqualTo(new Identity.Basic("basic", value, "pw," + value));
        }
    }
}
