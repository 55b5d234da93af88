package dev.taskloop.archfixture.corelayering.core;

/** ArchitectureTest fixture: a core class that depends on everything the core must not import. */
public final class ReachesOut {
    Object spring = new dev.taskloop.archfixture.corelayering.spring.Target();
    Object actuate = new dev.taskloop.archfixture.corelayering.actuate.Target();
    Object autoconfigure = new dev.taskloop.archfixture.corelayering.autoconfigure.Target();
    Object demo = new dev.taskloop.archfixture.corelayering.demo.Target();

    boolean springFramework(String s) {
        return org.springframework.util.StringUtils.hasText(s);
    }

    boolean micrometer(String s) {
        return io.micrometer.common.util.StringUtils.isBlank(s);
    }
}
