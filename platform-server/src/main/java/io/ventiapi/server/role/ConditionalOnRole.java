package io.ventiapi.server.role;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.Locale;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Loads the annotated configuration only where {@code venti.roles} includes the role. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Conditional(ConditionalOnRole.OnRole.class)
public @interface ConditionalOnRole {

    VentiRole value();

    final class OnRole implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            var wanted = (VentiRole) metadata.getAnnotationAttributes(ConditionalOnRole.class.getName())
                    .get("value");
            var configured = context.getEnvironment().getProperty("venti.roles", "api,portal,runner");
            return Arrays.stream(configured.split(","))
                    .map(role -> role.strip().toUpperCase(Locale.ROOT))
                    .anyMatch(wanted.name()::equals);
        }
    }
}
