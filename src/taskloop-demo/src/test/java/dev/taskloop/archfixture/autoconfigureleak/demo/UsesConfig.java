package dev.taskloop.archfixture.autoconfigureleak.demo;

import dev.taskloop.archfixture.autoconfigureleak.autoconfigure.Config;

/** ArchitectureTest fixture: code outside autoconfigure that imports it (forbidden). */
public final class UsesConfig {
    Config config = new Config();
}
