package io.ventiapi.platform.finding;

import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Transient;
import java.util.UUID;
import org.springframework.data.domain.Persistable;

/**
 * An entity whose id is assigned here, not by the database: new from its constructor until it is
 * stored or loaded. Without this a save would first select by id to tell insert from update: one
 * query per new finding of a scan, and another for its evidence.
 */
@MappedSuperclass
abstract class NewUntilStored implements Persistable<UUID> {

    @Transient
    private boolean fresh;

    /** For JPA, which loads stored rows. */
    NewUntilStored() {}

    /** For an entity the caller just made, with its id. */
    NewUntilStored(boolean fresh) {
        this.fresh = fresh;
    }

    @PostPersist
    @PostLoad
    void stored() {
        this.fresh = false;
    }

    @Override
    public boolean isNew() {
        return fresh;
    }
}
