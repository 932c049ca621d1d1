package io.ventiapi.engine;

/** The OWASP API Security Top 10 (2023), plus a bucket for findings outside it (spec conformance). */
public enum OwaspCategory {
    API1("API1:2023", "Broken Object Level Authorization"),
    API2("API2:2023", "Broken Authentication"),
    API3("API3:2023", "Broken Object Property Level Authorization"),
    API4("API4:2023", "Unrestricted Resource Consumption"),
    API5("API5:2023", "Broken Function Level Authorization"),
    API6("API6:2023", "Unrestricted Access to Sensitive Business Flows"),
    API7("API7:2023", "Server Side Request Forgery"),
    API8("API8:2023", "Security Misconfiguration"),
    API9("API9:2023", "Improper Inventory Management"),
    API10("API10:2023", "Unsafe Consumption of APIs"),
    /** For findings outside the Top 10, such as responses that break their documented schema. */
    NONE("none", "Not in the OWASP API Top 10");

    private final String code;
    private final String title;

    OwaspCategory(String code, String title) {
        this.code = code;
        this.title = title;
    }

    /** The official code, e.g. {@code API2:2023}. */
    public String code() {
        return code;
    }

    /** The official title, e.g. {@code Broken Authentication}. */
    public String title() {
        return title;
    }
}
