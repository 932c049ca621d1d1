package io.ventiapi.platform.security.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Signs out, at the authorization endpoint, a sign-in session whose member's password was set
 * again since it signed in (reset by an admin, or changed in another browser), or is one-time: the
 * authorization request then goes to the login page like any other, and the member signs in with
 * the password they have now, rather than being refused a code ({@link CurrentPasswordCodes}) by a
 * session that would never get one again.
 */
public final class PasswordChangedSignOut extends OncePerRequestFilter {

    private final String authorizationEndpoint;
    private final MemberLogins members;
    private final SecurityContextLogoutHandler signOut = new SecurityContextLogoutHandler();

    public PasswordChangedSignOut(String authorizationEndpoint, MemberLogins members) {
        this.authorizationEndpoint = authorizationEndpoint;
        this.members = members;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !(request.getContextPath() + authorizationEndpoint).equals(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var signedIn = SecurityContextHolder.getContext().getAuthentication();
        if (signedIn != null
                && signedIn.getPrincipal() instanceof MemberPrincipal member
                && members.passwordRefusal(member).isPresent()) {
            signOut.logout(request, response, signedIn);
        }
        chain.doFilter(request, response);
    }
}
