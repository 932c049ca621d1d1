package io.ventiapi.platform.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventiapi.engine.identity.Identity;
import io.ventiapi.engine.identity.IdentityParser;
import io.ventiapi.platform.project.IdentityKind;
import io.ventiapi.platform.project.IdentitySettings;
import io.ventiapi.platform.project.ScanCredential;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the platform hands the engine is what the engine reads, whatever the credentials hold. */
class EngineIdentitiesTest {

    @Test
    void aCredentialEndingInABackslashKeepsTheNextSettingApart() {
        var credential = new ScanCredential(
                "ops",
                IdentityKind.BASIC,
                new IdentitySettings(null, null, "domain\\", null, null, null, null, null, null, null),
                "pass,word\\",
                Map.of());

        var read = IdentityParser.parse(EngineIdentities.argument(credential));

        assertThat(read).isEqualTo(new Identity.Basic("ops", "domain\\", "pass,word\\"));
    }
}
