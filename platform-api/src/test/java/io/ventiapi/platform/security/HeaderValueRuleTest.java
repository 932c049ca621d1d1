package io.ventiapi.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The firewall's header rule, as a loop, accepts exactly what Spring's regular expression does. */
class HeaderValueRuleTest {

    /** {@code StrictHttpFirewall}'s own header value pattern. */
    private static final Pattern SPRING_RULE = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void everyCodePointIsJudgedAsSpringJudgesIt() {
        for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
            var value = "Bearer a" + Character.toString(c) + "b";
            assertThat(SecurityConfiguration.allowedHeaderValue(value))
                    .as("U+%04X", c)
                    .isEqualTo(SPRING_RULE.matcher(value).matches());
        }
    }

    @Test
    void controlCharactersAreRefusedAndTabsAllowed() {
        assertThat(SecurityConfiguration.allowedHeaderValue("Bearer eyJ.abc-_~"))
                .isTrue();
        assertThat(SecurityConfiguration.allowedHeaderValue("a\tb")).isTrue();
        assertThat(SecurityConfiguration.allowedHeaderValue("a\r\nX-Injected: 1"))
                .isFalse();
        assertThat(SecurityConfiguration.allowedHeaderValue("a\u0000")).isFalse();
        assertThat(SecurityConfiguration.allowedHeaderValue("a\u0085")).isFalse();
        assertThat(SecurityConfiguration.allowedHeaderValue("\ud83d")).isTrue();
    }
}
