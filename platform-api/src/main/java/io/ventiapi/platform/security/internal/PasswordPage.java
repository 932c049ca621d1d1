package io.ventiapi.platform.security.internal;

import io.ventiapi.platform.common.ErrorCode;
import io.ventiapi.platform.common.UserErrorException;
import io.ventiapi.platform.member.MemberService;
import io.ventiapi.platform.member.PasswordRules;
import io.ventiapi.platform.security.SecurityProperties;
import io.ventiapi.platform.security.SystemActor;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.CompositeSessionAuthenticationStrategy;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfAuthenticationStrategy;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.HtmlUtils;

/**
 * {@value #PATH}, where a member chooses their password, in the login page's style.
 *
 * <ul>
 *   <li>After the login form accepted a one-time password ({@link PasswordChangeRequired}), the
 *       browser's session remembers whose it was, and the member is not signed in: they type a new
 *       password twice, which signs them in and resumes the authorization request the sign-in began
 *       with. Until then no code or token is issued for them.
 *   <li>A member signed in at the login page changes theirs by typing the current one and the new
 *       one twice. A wrong current password counts as a failed sign-in ({@link LoginThrottle}).
 *       Their session stays signed in; sessions signed in elsewhere with the old password get no new
 *       code or token.
 *   <li>Anyone else is sent to sign in, and comes back here after.
 * </ul>
 *
 * The form is CSRF-protected like the login form, and the change goes through {@link
 * MemberService#changeOwnPassword}, which checks the new password and audits the change.
 */
@Controller
final class PasswordPage {

    static final String PATH = PasswordChangeRequired.PAGE;

    private final MemberService members;
    private final MemberPasswords passwords;
    private final LoginThrottle throttle;
    private final SignInAudit audit;
    private final String issuer;
    private final RequestCache requests = new HttpSessionRequestCache();
    private final SecurityContextRepository contexts = new DelegatingSecurityContextRepository(
            new RequestAttributeSecurityContextRepository(), new HttpSessionSecurityContextRepository());
    /** As the login form does when it signs someone in: a new session id and a new CSRF token. */
    private final SessionAuthenticationStrategy newSession = new CompositeSessionAuthenticationStrategy(List.of(
            new ChangeSessionIdAuthenticationStrategy(),
            new CsrfAuthenticationStrategy(new HttpSessionCsrfTokenRepository())));

    private final SavedRequestAwareAuthenticationSuccessHandler resume =
            new SavedRequestAwareAuthenticationSuccessHandler();

    PasswordPage(
            MemberService members,
            MemberPasswords passwords,
            LoginThrottle throttle,
            SignInAudit audit,
            SecurityProperties properties) {
        this.members = members;
        this.passwords = passwords;
        this.throttle = throttle;
        this.audit = audit;
        this.issuer = properties.issuer();
    }

    @GetMapping(PATH)
    void show(@RequestParam(required = false) String changed, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        var session = request.getSession(false);
        if (session != null && session.getAttribute(PasswordChangeRequired.REFUSED) instanceof String why) {
            session.removeAttribute(PasswordChangeRequired.REFUSED);
            refused(response, why);
            return;
        }
        var oneTime = oneTimeSignIn(request);
        if (oneTime != null) {
            render(request, response, 200, oneTime, true, null, null);
        } else if (signedIn() != null) {
            render(
                    request,
                    response,
                    200,
                    signedIn(),
                    false,
                    null,
                    changed == null ? null : "Your password was changed.");
        } else {
            requests.saveRequest(request, response);
            response.sendRedirect(request.getContextPath() + "/login");
        }
    }

    @PostMapping(PATH)
    void change(
            @RequestParam(required = false) String currentPassword,
            @RequestParam(required = false) String newPassword,
            @RequestParam(required = false) String repeatPassword,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException, ServletException {
        var oneTime = oneTimeSignIn(request);
        if (oneTime != null) {
            choose(oneTime, newPassword, repeatPassword, request, response);
            return;
        }
        var member = signedIn();
        if (member == null) {
            response.sendRedirect(request.getContextPath() + "/login");
            return;
        }
        Instant proven;
        try {
            proven = provenPassword(member, currentPassword);
        } catch (AuthenticationException e) {
            render(request, response, 400, member, false, e.getMessage(), null);
            return;
        }
        try {
            var changed = SystemActor.callAs(
                    member.actor(issuer), () -> members.changeOwnPassword(proven, newPassword, repeatPassword));
            signIn(member.withOwnPassword(changed.getPasswordChangedAt()), request, response);
            response.sendRedirect(request.getContextPath() + PATH + "?changed");
        } catch (UserErrorException e) {
            render(request, response, status(e), member, false, e.error().message(), null);
        }
    }

    /** The first password of a member's own, after a one-time one: it signs them in. */
    private void choose(
            MemberPrincipal member,
            String newPassword,
            String repeatPassword,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException, ServletException {
        try {
            var changed = SystemActor.callAs(
                    member.actor(issuer),
                    () -> members.changeOwnPassword(member.passwordChangedAt(), newPassword, repeatPassword));
            PasswordChangeRequired.forget(request);
            var signedIn = signIn(member.withOwnPassword(changed.getPasswordChangedAt()), request, response);
            throttle.succeeded(member.username());
            audit.signedIn(signedIn.getPrincipal());
            resume.onAuthenticationSuccess(request, response, signedIn);
        } catch (UserErrorException e) {
            if (e.error().code() == ErrorCode.INVALID_INPUT) {
                render(request, response, 400, member, true, e.error().message(), null);
                return;
            }
            // Reset or removed since the login form took the password: it opens nothing more.
            PasswordChangeRequired.forget(request);
            PasswordChangeRequired.sendRefused(e.error().message(), request, response);
        }
    }

    /**
     * When the password the member just typed was set: the current one, checked as the login form
     * checks it (a wrong one counts against the username), and the member's own.
     */
    private Instant provenPassword(MemberPrincipal member, String currentPassword) {
        MemberPrincipal checked;
        try {
            checked = (MemberPrincipal) passwords
                    .authenticate(UsernamePasswordAuthenticationToken.unauthenticated(
                            member.username(), currentPassword == null ? "" : currentPassword))
                    .getPrincipal();
        } catch (PasswordChangeRequired oneTime) {
            checked = oneTime.member(); // the right password, one-time since an admin reset it
        } catch (BadCredentialsException e) {
            throw new BadCredentialsException("the current password is wrong");
        }
        if (!checked.memberId().equals(member.memberId())) {
            throw new BadCredentialsException("the current password is wrong");
        }
        return checked.passwordChangedAt();
    }

    private UsernamePasswordAuthenticationToken signIn(
            MemberPrincipal member, HttpServletRequest request, HttpServletResponse response) {
        // As the login form signs in: the member's role, and when they proved their password.
        var authorities = new ArrayList<GrantedAuthority>(member.getAuthorities());
        authorities.add(FactorGrantedAuthority.fromAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY));
        var authentication = UsernamePasswordAuthenticationToken.authenticated(member, null, authorities);
        newSession.onAuthentication(authentication, request, response);
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        return authentication;
    }

    private static MemberPrincipal oneTimeSignIn(HttpServletRequest request) {
        var session = request.getSession(false);
        return session != null
                        && session.getAttribute(PasswordChangeRequired.ONE_TIME_SIGN_IN)
                                instanceof MemberPrincipal member
                ? member
                : null;
    }

    private static MemberPrincipal signedIn() {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null
                        && authentication.isAuthenticated()
                        && authentication.getPrincipal() instanceof MemberPrincipal member
                ? member
                : null;
    }

    private static int status(UserErrorException e) {
        return switch (e.error().code()) {
            case INVALID_INPUT -> 400;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            default -> 409;
        };
    }

    private static void render(
            HttpServletRequest request,
            HttpServletResponse response,
            int status,
            MemberPrincipal member,
            boolean oneTime,
            String error,
            String notice)
            throws IOException {
        var csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        var context = request.getContextPath();
        var html = new StringBuilder();
        html.append("""
                <!DOCTYPE html>
                <html lang="en">
                  <head>
                    <meta charset="utf-8">
                    <meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
                    <title>%s</title>
                    <link href="%s/default-ui.css" rel="stylesheet" />
                  </head>
                  <body>
                    <div class="content">
                      <form class="login-form" method="post" action="%s%s">
                        <h2>%s</h2>
                """.formatted(
                        oneTime ? "Choose your password" : "Change your password",
                        context,
                        context,
                        PATH,
                        oneTime ? "Choose your password" : "Change your password"));
        if (error != null) {
            html.append("        <div class=\"alert alert-danger\" role=\"alert\">")
                    .append(HtmlUtils.htmlEscape(capitalized(error)))
                    .append("</div>\n");
        }
        if (notice != null) {
            html.append("        <div class=\"alert alert-success\" role=\"alert\">")
                    .append(HtmlUtils.htmlEscape(notice))
                    .append("</div>\n");
        }
        html.append("        <p>")
                .append(
                        oneTime
                                ? "The password you signed in with as <strong>"
                                        + HtmlUtils.htmlEscape(member.username())
                                        + "</strong> was set by someone else, for one sign-in. Choose your own to go on."
                                : "Signed in as <strong>" + HtmlUtils.htmlEscape(member.username()) + "</strong>.")
                .append("</p>\n");
        // A username field, hidden, tells password managers whose password this is.
        html.append("        <input type=\"text\" name=\"username\" autocomplete=\"username\" value=\"")
                .append(HtmlUtils.htmlEscape(member.username()))
                .append("\" hidden readonly>\n");
        if (!oneTime) {
            field(html, "currentPassword", "Current password", "current-password", true);
        }
        field(html, "newPassword", "New password", "new-password", oneTime);
        field(html, "repeatPassword", "New password again", "new-password", false);
        html.append("        <p>")
                .append(HtmlUtils.htmlEscape(PasswordRules.SUMMARY))
                .append("</p>\n");
        if (csrf != null) {
            html.append("        <input name=\"")
                    .append(HtmlUtils.htmlEscape(csrf.getParameterName()))
                    .append("\" type=\"hidden\" value=\"")
                    .append(HtmlUtils.htmlEscape(csrf.getToken()))
                    .append("\" />\n");
        }
        html.append("        <button type=\"submit\" class=\"primary\">")
                .append(oneTime ? "Set password and sign in" : "Change password")
                .append("</button>\n");
        html.append("""
                      </form>
                    </div>
                  </body>
                </html>
                """);
        var body = html.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Says why a right password opened nothing, and leads back to the login page. */
    private static void refused(HttpServletResponse response, String why) throws IOException {
        var body = """
                <!DOCTYPE html>
                <html lang="en">
                  <head>
                    <meta charset="utf-8">
                    <meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
                    <title>Not signed in</title>
                    <link href="/default-ui.css" rel="stylesheet" />
                  </head>
                  <body>
                    <div class="content">
                      <div class="login-form">
                        <h2>Not signed in</h2>
                        <div class="alert alert-danger" role="alert">%s</div>
                        <p><a href="/login">Sign in</a></p>
                      </div>
                    </div>
                  </body>
                </html>
                """.formatted(HtmlUtils.htmlEscape(capitalized(why))).getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType("text/html;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static void field(StringBuilder html, String name, String label, String autocomplete, boolean focus) {
        html.append("        <p>\n          <label for=\"")
                .append(name)
                .append("\" class=\"screenreader\">")
                .append(label)
                .append("</label>\n          <input type=\"password\" id=\"")
                .append(name)
                .append("\" name=\"")
                .append(name)
                .append("\" placeholder=\"")
                .append(label)
                .append("\" autocomplete=\"")
                .append(autocomplete)
                .append("\" required")
                .append(focus ? " autofocus" : "")
                .append(">\n        </p>\n");
    }

    /** A message of the services (lower case, no full stop) as a sentence. */
    private static String capitalized(String message) {
        if (message.isEmpty()) {
            return message;
        }
        var sentence = Character.toUpperCase(message.charAt(0)) + message.substring(1);
        return sentence.endsWith(".") ? sentence : sentence + ".";
    }
}
