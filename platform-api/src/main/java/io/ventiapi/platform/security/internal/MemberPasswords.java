package io.ventiapi.platform.security.internal;

import org.springframework.security.authentication.AccountStatusUserDetailsChecker;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The login page's check of a member's password. A username {@link LoginThrottle} locked is
 * refused before its password is hashed, as an account locked for a while. The member signed in
 * is kept without its password's hash: the sign-in session holds it for as long as it lasts, and a
 * stolen or serialised session must not carry something to crack offline.
 */
public final class MemberPasswords extends DaoAuthenticationProvider {

    public MemberPasswords(UserDetailsService members, PasswordEncoder passwords, LoginThrottle throttle) {
        super(members);
        setPasswordEncoder(passwords);
        var accountStatus = new AccountStatusUserDetailsChecker();
        setPreAuthenticationChecks(member -> {
            if (throttle.locked(member.getUsername())) {
                throw new LockedException("too many failed sign-ins");
            }
            accountStatus.check(member);
        });
    }

    @Override
    protected Authentication createSuccessAuthentication(
            Object principal, Authentication authentication, UserDetails user) {
        var kept = principal instanceof MemberPrincipal member ? member.withoutPassword() : principal;
        return super.createSuccessAuthentication(kept, authentication, user);
    }
}
