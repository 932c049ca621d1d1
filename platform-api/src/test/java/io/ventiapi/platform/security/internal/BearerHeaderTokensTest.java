package io.ventiapi.platform.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/** The loop accepts, refuses and ignores exactly the headers Spring's resolver does. */
class BearerHeaderTokensTest {

    private final BearerTokenResolver ours = new BearerHeaderTokens();
    private final BearerTokenResolver springs = new DefaultBearerTokenResolver();

    /**
     * Every code point below U+0300, and those that case-fold onto ASCII letters (Kelvin sign, long
     * s, dotless and dotted i, fullwidth letters), a lone surrogate and an emoji, put into or over
     * each part of a header: the scheme, the space, the token and its padding.
     */
    @Test
    void characterAnywhereInTheHeaderIsJudgedAsSpringJudgesIt() {
        var base = "Bearer eyJ0.a-b_c~d+e/f==";
        var codePoints = new ArrayList<Integer>();
        for (int c = 0; c < 0x300; c++) {
            codePoints.add(c);
        }
        codePoints.addAll(List.of(0x130, 0x131, 0x17F, 0x212A, 0x212B, 0x1E9E, 0xFF21, 0xFF42, 0xD83D, 0x1F600));
        for (int c : codePoints) {
            var character = Character.toString(c);
            for (int at : new int[] {0, 3, 6, 7, 12, base.length() - 1, base.length()}) {
                assertSameOutcome(base.substring(0, at) + character + base.substring(at));
                if (at < base.length()) {
                    assertSameOutcome(base.substring(0, at) + character + base.substring(at + 1));
                }
            }
        }
    }

    @Test
    void headersOfEveryShapeAreJudgedAsSpringJudgesThem() {
        var headers = List.of(
                "",
                "Bearer",
                "Bearer ",
                "Bearer  abc",
                "bearer abc",
                "BEARER abc",
                "bEaReR abc=",
                "Bearer abc=def",
                "Bearer ===",
                "Bearer abc ",
                "Bearer abc\n",
                "Bearerabc",
                "Basic dXNlcjpwYXNz",
                "Token abc",
                "Bearer\tabc",
                "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");
        assertThat(headers).allSatisfy(this::assertSameOutcome);
        assertThat(ours.resolve(new MockHttpServletRequest("POST", "/graphql"))).isNull();
        assertThat(ours.resolve(request("Bearer abc.def=="))).isEqualTo("abc.def==");
    }

    private void assertSameOutcome(String header) {
        assertThat(outcome(ours, header)).as("%s", header).isEqualTo(outcome(springs, header));
    }

    private static String outcome(BearerTokenResolver resolver, String header) {
        try {
            return "token:" + resolver.resolve(request(header));
        } catch (OAuth2AuthenticationException e) {
            return "refused:" + e.getError().getErrorCode() + ":" + e.getError().getDescription();
        }
    }

    private static MockHttpServletRequest request(String header) {
        var request = new MockHttpServletRequest("POST", "/graphql");
        request.setContentType("application/json");
        request.addHeader("Authorization", header);
        return request;
    }
}
