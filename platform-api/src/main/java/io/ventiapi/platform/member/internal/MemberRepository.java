package io.ventiapi.platform.member.internal;

import io.ventiapi.platform.common.Role;
import io.ventiapi.platform.member.Member;
import jakarta.persistence.LockModeType;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

public interface MemberRepository extends JpaRepository<Member, UUID> {

    Window<Member> findAllBy(ScrollPosition position, Limit limit, Sort sort);

    long countByRole(Role role);

    /**
     * The members of this role who chose their own password, or were stored before one-time
     * passwords existed (flagged with no expiry by changeset 020): those who have run the tenant.
     */
    @Query("select count(m) from Member m where m.role = :role"
            + " and (m.mustChangePassword = false or m.oneTimePasswordExpiresAt is null)")
    long countWhoSignedIn(Role role);

    /** The member, locked until the transaction ends: one change to their password at a time. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select m from Member m where m.id = :id")
    Optional<Member> findLockedById(UUID id);

    /** As {@link #findLockedById}, by username (as usernames compare: ignoring case). */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select m from Member m where lower(m.username) = lower(:username)")
    Optional<Member> findLockedByUsername(String username);
}
