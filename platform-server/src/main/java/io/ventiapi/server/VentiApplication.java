package io.ventiapi.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The one executable. Which modules it runs is decided by {@code venti.roles}. */
@SpringBootApplication
public class VentiApplication {

    public static void main(String[] args) {
        SpringApplication.run(VentiApplication.class, args);
    }
}
