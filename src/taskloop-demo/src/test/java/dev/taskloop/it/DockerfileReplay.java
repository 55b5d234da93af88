package dev.taskloop.it;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replays a Dockerfile without Docker: every stage gets a directory of its own standing for its root
 * filesystem; ARG, WORKDIR, COPY (from the build context or {@code --from} a stage), ENV, USER, EXPOSE
 * and ENTRYPOINT are followed; {@code RUN java ...} runs with the local JDK in the stage's working
 * directory. Other RUN commands (creating the image's user) need root inside an image: they are listed
 * in {@link Result#skipped()} and must be among {@link #SKIPPABLE}. Anything else fails, so that a
 * Dockerfile change the replay cannot follow is noticed rather than silently ignored.
 */
final class DockerfileReplay {

    /** RUN commands that only make sense as root inside an image. */
    static final List<String> SKIPPABLE = List.of("groupadd ", "useradd ");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    /** The final stage: its directory, working directory, environment, user, ports and entrypoint. */
    record Result(Path root, Path workdir, Map<String, String> env, String user, List<String> exposed, List<String> entrypoint,
                  List<String> ran, List<String> skipped) {
    }

    private final Path context;
    private final Path javaHome;
    private final Path scratch;
    private final Duration runTimeout;

    DockerfileReplay(Path context, Path javaHome, Path scratch, Duration runTimeout) {
        this.context = context;
        this.javaHome = javaHome;
        this.scratch = scratch;
        this.runTimeout = runTimeout;
    }

    Result replay(Path dockerfile) throws IOException, InterruptedException {
        Map<String, String> globalArgs = new HashMap<>();
        Map<String, Path> stages = new HashMap<>();
        Map<String, String> args = globalArgs;
        Map<String, String> env = new LinkedHashMap<>();
        Path root = null;
        String workdir = "/";
        String user = "root";
        List<String> exposed = new ArrayList<>();
        List<String> entrypoint = List.of();
        List<String> ran = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int stageNumber = 0;
        for (String line : instructions(Files.readString(dockerfile))) {
            String keyword = line.split("\\s+", 2)[0].toUpperCase();
            String rest = line.substring(keyword.length()).strip();
            switch (keyword) {
                case "ARG" -> {
                    String[] kv = rest.split("=", 2);
                    String value = kv.length == 2 ? expand(kv[1], args) : globalArgs.getOrDefault(kv[0], "");
                    args.put(kv[0], value);
                }
                case "FROM" -> {
                    String[] parts = rest.split("\\s+");
                    String name = parts.length == 3 && parts[1].equalsIgnoreCase("AS") ? parts[2] : "stage-" + stageNumber;
                    root = Files.createDirectories(scratch.resolve(name));
                    stages.put(name, root);
                    stages.put(String.valueOf(stageNumber++), root);
                    args = new HashMap<>();
                    env = new LinkedHashMap<>();
                    workdir = "/";
                    user = "root";
                    exposed = new ArrayList<>();
                    entrypoint = List.of();
                }
                case "WORKDIR" -> {
                    workdir = resolve(workdir, expand(rest, args));
                    Files.createDirectories(inside(root, workdir));
                }
                case "COPY" -> copy(rest, args, stages, root, workdir);
                case "ENV" -> env.putAll(parseEnv(expand(rest, args)));
                case "USER" -> user = expand(rest, args);
                case "EXPOSE" -> exposed.addAll(List.of(rest.split("\\s+")));
                case "ENTRYPOINT" -> entrypoint = JsonMapper.builder().build().readValue(rest, new TypeReference<List<String>>() {
                });
                case "RUN" -> {
                    String command = expand(rest, args);
                    if (command.startsWith("java ")) {
                        run(command, root, workdir, env);
                        ran.add(command);
                    } else if (SKIPPABLE.stream().anyMatch(command::startsWith)) {
                        skipped.add(command);
                    } else {
                        throw new IllegalStateException("the replay cannot run this RUN instruction of " + dockerfile + ": " + command);
                    }
                }
                default -> throw new IllegalStateException("the replay does not know the instruction " + keyword + " of " + dockerfile);
            }
        }
        return new Result(root, inside(root, workdir), env, user, exposed, entrypoint, ran, skipped);
    }

    /** The instructions, continuation lines joined, comments and parser directives dropped. */
    static List<String> instructions(String dockerfile) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : dockerfile.lines().toList()) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
                continue;
            }
            boolean continues = line.endsWith("\\");
            current.append(continues ? line.substring(0, line.length() - 1).strip() : line).append(' ');
            if (!continues) {
                instructions.add(current.toString().strip());
                current.setLength(0);
            }
        }
        return instructions;
    }

    private void copy(String rest, Map<String, String> args, Map<String, Path> stages, Path root, String workdir) throws IOException {
        List<String> parts = new ArrayList<>(List.of(expand(rest, args).split("\\s+")));
        Path sourceRoot = context;
        if (parts.getFirst().startsWith("--from=")) {
            String from = parts.removeFirst().substring("--from=".length());
            sourceRoot = stages.get(from);
            if (sourceRoot == null) {
                throw new IllegalStateException("COPY --from=" + from + ": no such stage");
            }
        }
        String destination = parts.removeLast();
        Path target = inside(root, resolve(workdir, destination));
        for (String source : parts) {
            List<Path> matches = glob(sourceRoot, source.startsWith("/") && sourceRoot != context ? source.substring(1) : source);
            if (matches.isEmpty()) {
                throw new IllegalStateException("COPY " + source + ": nothing matches in " + sourceRoot);
            }
            for (Path match : matches) {
                if (Files.isDirectory(match)) {
                    copyTree(match, target);
                } else {
                    Path to = destination.endsWith("/") ? target.resolve(match.getFileName()) : target;
                    Files.createDirectories(to.getParent());
                    Files.copy(match, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static List<Path> glob(Path base, String pattern) throws IOException {
        String clean = pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
        if (!clean.contains("*") && !clean.contains("?")) {
            Path p = base.resolve(clean);
            return Files.exists(p) ? List.of(p) : List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + clean);
        Path parent = base.resolve(clean).getParent();
        try (Stream<Path> files = Files.list(parent)) {
            return files.filter(p -> matcher.matches(base.relativize(p))).sorted().toList();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private void run(String command, Path root, String workdir, Map<String, String> env) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(command.split("\\s+")));
        argv.set(0, javaHome.resolve("bin/java").toString());
        Path log = Files.createTempFile(scratch, "run-", ".log");
        ProcessBuilder pb = new ProcessBuilder(argv).directory(inside(root, workdir).toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process process = pb.start();
        if (!process.waitFor(runTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("RUN " + command + " did not finish within " + runTimeout + ":\n" + Files.readString(log));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("RUN " + command + " exited with " + process.exitValue() + ":\n" + Files.readString(log));
        }
    }

    private static Map<String, String> parseEnv(String rest) {
        Map<String, String> env = new LinkedHashMap<>();
        Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"([^\"]*)\"|(\\S*))").matcher(rest);
        while (m.find()) {
            env.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(4));
        }
        return env;
    }

    private static String expand(String text, Map<String, String> args) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(args.getOrDefault(name, m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String resolve(String workdir, String path) {
        return path.startsWith("/") ? path : (workdir.endsWith("/") ? workdir : workdir + "/") + path;
    }

    private static Path inside(Path root, String absolute) {
        Path p = root.resolve(absolute.replaceFirst("^/+", "")).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalStateException(absolute + " leaves the stage's root");
        }
        return p;
    }
}
