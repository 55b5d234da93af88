package dev.example.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A worker service as an application writes one with the starter alone: no web server, no
 * Actuator, a declared task ({@link Heartbeat}) doing the work. The ITs run its jar as a process.
 */
@SpringBootApplication
public class WorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(WorkerApplication.class, args);
    }
}
