package dev.taskloop.archfixture.badimport;

import org.springframework.context.annotation.Import;

/** Imported as it should be (package-private, no stereotype: @Import reads its @Bean methods), and importing ones that are not. */
@Import({DeepPublicConfiguration.class, ScannableConfiguration.class})
class FineConfiguration {
}
