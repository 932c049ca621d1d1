package io.ventiapi.platform.security.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.authentication.CredentialsExpiredException;

/**
 * The right password, but a one-time one: its member is not signed in, and is sent to choose their
 * own ({@link PasswordPage}), which then signs them in.
 */
public final class PasswordChangeRequired extends CredentialsExpiredException {

    /** Where a member chooses or changes their password. */
    public static final String PAGE = "/password";

    /** The session attribute naming the member whose one-time password the login form accepted. */
    static final String ONE_TIME_SIGN_IN = PasswordChangeRequired.class.getName() + ".ONE_TIME_SIGN_IN";

    /** The session attribute saying, once, why a right password opened nothing. */
    static final String REFUSED = PasswordChangeRequired.class.getName() + ".REFUSED";

    private final MemberPrincipal member;

    public PasswordChangeRequired(MemberPrincipal member) {
        super("choose your own password to sign in");
        this.member = member.withoutPassword();
    }

    /** The member whose one-time password was typed, without its hash. */
    public MemberPrincipal member() {
        return member;
    }

    /**
     * Sends the member to choose their password, the browser's session remembering who they are
     * under a new id: they proved something at the login form, if not yet enough to sign in.
     */
    public void sendToChoose(HttpServletRequest request, HttpServletResponse response) throws IOException {
        request.getSession().setAttribute(ONE_TIME_SIGN_IN, member);
        request.changeSessionId();
        response.sendRedirect(request.getContextPath() + PAGE);
    }

    /**
     * Sends someone whose right password opens nothing (a one-time password past its expiry, or
     * replaced meanwhile) to the password page, which tells them why once. The login page cannot:
     * it says "Invalid credentials" whatever the reason, which would have them type it again.
     */
    public static void sendRefused(String why, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        request.getSession().setAttribute(REFUSED, why);
        response.sendRedirect(request.getContextPath() + PAGE);
    }

    /** Forgets, in this browser's session, a one-time password typed earlier: someone signed in. */
    public static void forget(HttpServletRequest request) {
        var session = request.getSession(false);
        if (session != null) {
            session.removeAttribute(ONE_TIME_SIGN_IN);
        }
    }
}
