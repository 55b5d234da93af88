package dev.taskloop.archfixture.publicmember;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/** Breaks "auto-configurations have no public members": a public bean method. */
@AutoConfiguration
public final class PublicBeanAutoConfiguration {

    /** Constants are allowed. */
    public static final String ALLOWED = "a constant";

    @Bean
    public Object thing() {
        return new Object();
    }
}
