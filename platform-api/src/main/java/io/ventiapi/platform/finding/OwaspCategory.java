package io.ventiapi.platform.finding;

/** The OWASP API Security Top 10, 2023 edition. */
public enum OwaspCategory {
    API1("Broken Object Level Authorization"),
    API2("Broken Authentication"),
    API3("Broken Object Property Level Authorization"),
    API4("Unrestricted Resource Consumption"),
    API5("Broken Function Level Authorization"),
    API6("Unrestricted Access to Sensitive Business Flows"),
    API7("Server Side Request Forgery"),
    API8("Security Misconfiguration"),
    API9("Improper Inventory Management"),
    API10("Unsafe Consumption of APIs"),
    /** Not in the Top 10, e.g. a response breaking its documented schema. */
    NONE("Not in the OWASP API Top 10");

    private final String title;

    OwaspCategory(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
