package io.ventiapi.platform.member.internal;

import io.ventiapi.platform.common.Role;
import io.ventiapi.platform.member.Member;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Window;
import org.springframework.data.jpa.repository.JpaRepository;

public interface MemberRepository extends JpaRepository<Member, UUID> {

    Window<Member> findAllBy(ScrollPosition position, Limit limit, Sort sort);

    long countByRole(Role role);
}
