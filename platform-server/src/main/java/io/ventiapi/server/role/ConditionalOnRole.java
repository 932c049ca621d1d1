package io.ventiapi.server.role;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Loads the annotated configuration only where {@code venti.roles} includes the role (or lacks it). */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Conditional(ConditionalOnRole.OnRole.class)
public @interface ConditionalOnRole {

    VentiRole value();

    /** Match where the role is absent instead. */
    boolean absent() default false;

    final class OnRole implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            var attributes = metadata.getAnnotationAttributes(ConditionalOnRole.class.getName());
            var wanted = (VentiRole) attributes.get("value");
            boolean absent = (Boolean) attributes.get("absent");
            return VentiRoles.of(context.getEnvironment()).contains(wanted) != absent;
        }
    }
}
