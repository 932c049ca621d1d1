package io.ventiapi.platform.security.internal;

import java.time.Clock;
import org.springframework.security.authentication.AccountStatusException;
import org.springframework.security.authentication.AccountStatusUserDetailsChecker;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.CredentialsExpiredException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The login page's check of a member's password. A wrong one is counted by {@link LoginThrottle}
 * under the member's own username, however it was typed; a name no member has is not counted. A
 * username the throttle locked, or a member of a suspended tenant, is refused without its password
 * being checked, but only after the presented password was matched against a hash of nothing, as
 * costly as a member's: every refusal spends the same hashing whether the name is unknown, locked
 * or its tenant suspended, so how long the answer takes tells no one which names exist. The member
 * signed in is kept without its password's hash: the sign-in session holds it for as long as it
 * lasts, and a stolen or serialised session must not carry something to crack offline.
 *
 * <p>A one-time password (one someone else set) signs no one in: once it matched, the member is
 * refused with {@link PasswordChangeRequired}, which sends them to choose their own, or, past its
 * expiry, with {@link CredentialsExpiredException}. Either is said only to whoever typed the right
 * password, and neither counts as a failure.
 */
public final class MemberPasswords extends DaoAuthenticationProvider {

    private static final String NOTHING = "no member's password";

    private final PasswordEncoder passwords;
    private final LoginThrottle throttle;
    private final AccountStatusUserDetailsChecker accountStatus = new AccountStatusUserDetailsChecker();
    private volatile String hashOfNothing;

    public MemberPasswords(UserDetailsService members, PasswordEncoder passwords, LoginThrottle throttle, Clock clock) {
        super(members);
        this.passwords = passwords;
        this.throttle = throttle;
        setPasswordEncoder(passwords);
        // Checked below with the password, not before it: Spring answers a failed pre-check first.
        setPreAuthenticationChecks(member -> {});
        // Run once the password matched.
        setPostAuthenticationChecks(member -> {
            if (member instanceof MemberPrincipal principal && principal.mustChangePassword()) {
                if (principal.oneTimePasswordExpired(clock.instant())) {
                    throw new CredentialsExpiredException(
                            "This one-time password expired unused: ask an admin of your tenant for a new one.");
                }
                throw new PasswordChangeRequired(principal);
            }
        });
    }

    @Override
    protected void additionalAuthenticationChecks(
            UserDetails member, UsernamePasswordAuthenticationToken authentication) {
        if (!throttle.tryCheck(member.getUsername())) {
            hashInVain(authentication);
            throw new LockedException("too many failed sign-ins");
        }
        // The place taken is given back however the check ends: a wrong password counts.
        var wrong = false;
        try {
            try {
                accountStatus.check(member);
            } catch (AccountStatusException e) {
                hashInVain(authentication);
                throw e;
            }
            super.additionalAuthenticationChecks(member, authentication);
        } catch (BadCredentialsException e) {
            wrong = true;
            throttle.failed(member.getUsername());
            throw e;
        } finally {
            if (!wrong) {
                throttle.checked(member.getUsername());
            }
        }
    }

    /** What checking the password would cost, without checking it. */
    private void hashInVain(UsernamePasswordAuthenticationToken authentication) {
        if (authentication.getCredentials() == null) {
            return; // nor is a password checked when none came
        }
        if (hashOfNothing == null) {
            hashOfNothing = passwords.encode(NOTHING);
        }
        passwords.matches(authentication.getCredentials().toString(), hashOfNothing);
    }

    @Override
    protected Authentication createSuccessAuthentication(
            Object principal, Authentication authentication, UserDetails user) {
        var kept = principal instanceof MemberPrincipal member ? member.withoutPassword() : principal;
        return super.createSuccessAuthentication(kept, authentication, user);
    }
}
