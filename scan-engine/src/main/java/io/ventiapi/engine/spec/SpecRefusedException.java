package io.ventiapi.engine.spec;

/** The document cannot be scanned; the message says why in words a user can act on. */
public final class SpecRefusedException extends RuntimeException {

    private SpecRefusedException(String message) {
        super(message);
    }

    /** The location does not exist or cannot be read. */
    public static SpecRefusedException unreadable(String location, String why) {
        return new SpecRefusedException("cannot read the API description at " + location + ": " + why);
    }

    /** The document was read but is not an OpenAPI/Swagger document the engine understands. */
    public static SpecRefusedException invalid(String location, String why) {
        return new SpecRefusedException("the API description at " + location + " was refused: " + why);
    }
}
