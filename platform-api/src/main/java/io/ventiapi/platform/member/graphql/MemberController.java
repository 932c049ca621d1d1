package io.ventiapi.platform.member.graphql;

import io.ventiapi.platform.common.Role;
import io.ventiapi.platform.common.UserError;
import io.ventiapi.platform.graphql.Ids;
import io.ventiapi.platform.graphql.Paging;
import io.ventiapi.platform.graphql.Payloads;
import io.ventiapi.platform.member.Member;
import io.ventiapi.platform.member.MemberService;
import java.util.List;
import org.springframework.data.domain.Window;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.query.ScrollSubrange;
import org.springframework.stereotype.Controller;

@Controller
class MemberController {

    private final MemberService members;

    MemberController(MemberService members) {
        this.members = members;
    }

    @QueryMapping
    Window<Member> members(ScrollSubrange subrange) {
        return members.list(Paging.position(subrange), Paging.limit(subrange));
    }

    @MutationMapping
    InviteMemberPayload inviteMember(@Argument InviteMemberInput input) {
        return Payloads.attempt(
                () -> {
                    var invited = members.invite(input.username(), input.displayName(), input.role());
                    return new InviteMemberPayload(invited.member(), invited.initialPassword(), List.of());
                },
                error -> new InviteMemberPayload(null, null, List.of(error)));
    }

    @MutationMapping
    ResetMemberPasswordPayload resetMemberPassword(@Argument ResetMemberPasswordInput input) {
        return Payloads.attempt(
                () -> {
                    var reset = members.resetPassword(Ids.uuid(input.id(), "member"));
                    return new ResetMemberPasswordPayload(reset.member(), reset.oneTimePassword(), List.of());
                },
                error -> new ResetMemberPasswordPayload(null, null, List.of(error)));
    }

    @MutationMapping
    MemberPayload setMemberRole(@Argument SetMemberRoleInput input) {
        return Payloads.attempt(
                () -> new MemberPayload(members.setRole(Ids.uuid(input.id(), "member"), input.role()), List.of()),
                error -> new MemberPayload(null, List.of(error)));
    }

    @MutationMapping
    RemoveMemberPayload removeMember(@Argument RemoveMemberInput input) {
        return Payloads.attempt(
                () -> {
                    members.remove(Ids.uuid(input.id(), "member"));
                    return new RemoveMemberPayload(input.id(), List.of());
                },
                error -> new RemoveMemberPayload(null, List.of(error)));
    }

    record InviteMemberInput(String username, String displayName, Role role) {}

    record InviteMemberPayload(Member member, String initialPassword, List<UserError> errors) {}

    record ResetMemberPasswordInput(String id) {}

    record ResetMemberPasswordPayload(Member member, String oneTimePassword, List<UserError> errors) {}

    record SetMemberRoleInput(String id, Role role) {}

    record MemberPayload(Member member, List<UserError> errors) {}

    record RemoveMemberInput(String id) {}

    record RemoveMemberPayload(String removedId, List<UserError> errors) {}
}
