package dev.taskloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.jayway.jsonpath.JsonPath;
import dev.taskloop.Polling;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard page in a real headless Chromium (the system's, Debian's {@code chromium} and
 * {@code chromium-driver}, driven by Selenium; never a browser a tool downloads), against the packaged
 * demo with Actuator on a port of its own, as the Helm chart runs it: the page shows the demo's loops
 * and tasks; switching the blocker on shows the stuck holder with {@code Thread.sleep} on its stack
 * within 2 s; pressing pause on a periodic task (with the keyboard) stops its runs, as the JSON says;
 * and with write access off the page has no buttons. Screenshots go to {@code target/dashboard/}.
 * Skips, naming the packages, where Chromium is not installed ({@code .ci/run} installs it).
 */
class DashboardIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "dashboard");

    private static void assumeChromium() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "DashboardIT needs " + CHROMIUM + " and " + CHROMEDRIVER
                + ": install the Debian packages 'chromium' and 'chromium-driver' (apt-get install chromium chromium-driver; .ci/run does)");
    }

    /** Headless Chromium with a new, empty profile and nothing that calls home. */
    private static ChromeDriver chromium(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--window-size=1440,1500");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static void screenshot(WebDriver driver, String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name), ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES));
    }

    /** What the page logged that the browser calls severe: script errors, refused resources, failed requests. */
    private static List<String> severe(WebDriver driver) {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    private static Map<String, Object> declared(DemoProcess demo, String name) throws Exception {
        String body = demo.management("/actuator/taskloop").body();
        return JsonPath.<List<Map<String, Object>>>read(body, "$.declared[?(@.name == '" + name + "')]").getFirst();
    }

    private static int runs(DemoProcess demo, String name) throws Exception {
        return JsonPath.read(declared(demo, name), "$.executionCounts.total");
    }

    @Test
    void theDashboardShowsTheLoopsAndTasksTheStuckHolderWithinTwoSecondsAndPausesAPeriodicTask() throws Exception {
        assumeChromium();
        Path profile = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "chromium-profile");
        try (DemoProcess demo = DemoProcess.startWithManagementPort("--taskloop.shutdown.timeout=2s")) {
            demo.awaitReady(Duration.ofSeconds(60));
            WebDriver driver = chromium(profile);
            try {
                driver.get("http://127.0.0.1:" + demo.managementPort() + "/actuator/taskloop/ui");
                Polling.poll("the loops and tasks on the page", Duration.ofSeconds(20), Duration.ofMillis(100)).until(() ->
                        !driver.findElements(By.cssSelector("section[data-loop='main']")).isEmpty()
                                && !driver.findElements(By.cssSelector("#declared tr[data-task='report']")).isEmpty()
                                && driver.findElement(By.id("tasks")).getText().contains("report"));
                assertThat(driver.getTitle()).isEqualTo("Taskloop");
                assertThat(driver.findElement(By.id("declared")).getText()).contains("ticker", "report", "blocker", "every 5.0 s",
                        "2.0 s after each run");
                assertThat(texts(driver, "section[data-loop='main']").getFirst()).contains("utilization", "lag p50 / p99",
                        "queue depth");
                assertThat(driver.findElement(By.id("mode")).getText()).isEqualTo("write access on");
                // let the charts gather a few samples before the picture
                Polling.poll("a few samples", Duration.ofSeconds(20), Duration.ofMillis(200)).until(() ->
                        driver.findElement(By.id("ended")).getText().contains("fetch-"));
                screenshot(driver, "dashboard.png");

                long t0 = System.nanoTime();
                assertThat(demo.post("/demo/blocker?enabled=true").statusCode()).isEqualTo(200);
                Polling.poll("the stuck holder with Thread.sleep on its stack", Duration.ofSeconds(10), Duration.ofMillis(50)).until(() ->
                        texts(driver, "#alerts [role=alert]").stream().anyMatch(b -> b.contains("'blocker'") && b.contains("java.lang.Thread.sleep")));
                long shownMs = (System.nanoTime() - t0) / 1_000_000;
                String banner = texts(driver, "#alerts [role=alert]").getFirst();
                assertThat(banner).contains("Loop 'main'", "task 'blocker'", "has held its baton for");
                assertThat(shownMs).as("the stuck holder shown %d ms after the switch", shownMs).isLessThanOrEqualTo(2000);
                // a few blocks later, with the charts showing them, the picture
                Polling.poll("three blocks, the third one shown", Duration.ofSeconds(30), Duration.ofMillis(50)).until(() ->
                        JsonPath.<Integer>read(demo.management("/actuator/taskloop").body(), "$.loops[0].blockedSteps") >= 3
                                && texts(driver, "#alerts [role=alert]").stream()
                                .anyMatch(b -> b.contains("is stuck: task 'blocker'") && !b.contains("released")));
                screenshot(driver, "dashboard-stuck.png");
                assertThat(demo.post("/demo/blocker?enabled=false").statusCode()).isEqualTo(200);

                // Pause the periodic 'report' (fixed delay 2 s) with the keyboard: Tab to its button, Enter.
                WebElement pause = driver.findElement(By.cssSelector("button[data-task='report'][data-action='pause']"));
                tabTo(driver, pause);
                new Actions(driver).sendKeys(Keys.ENTER).perform();
                Polling.poll("report paused, as the JSON says", Duration.ofSeconds(10), Duration.ofMillis(100))
                        .until(() -> "PAUSED".equals(declared(demo, "report").get("status")));
                int runsWhenPaused = runs(demo, "report");
                Awaitility.await("no run of report for 5 s (2.5 periods)").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7))
                        .pollInterval(Duration.ofMillis(250)).until(() -> runs(demo, "report") == runsWhenPaused);
                assertThat(declared(demo, "report").get("nextExecution")).isNull();
                Polling.poll("the page says so", Duration.ofSeconds(5), Duration.ofMillis(100)).until(() ->
                        texts(driver, "#declared tr[data-task='report']").stream().anyMatch(t -> t.contains("PAUSED"))
                                && driver.findElement(By.cssSelector("button[data-task='report'][data-action='resume']")).isDisplayed());
                assertThat(driver.findElement(By.id("status")).getText()).startsWith("pause requested: task 'report'");
                screenshot(driver, "dashboard-paused.png");

                driver.findElement(By.cssSelector("button[data-task='report'][data-action='resume']")).click();
                Polling.poll("report runs again", Duration.ofSeconds(10), Duration.ofMillis(100))
                        .until(() -> runs(demo, "report") > runsWhenPaused && "RUNNING".equals(declared(demo, "report").get("status")));
                assertThat(severe(driver)).as("the page logged no error and loaded nothing it was refused").isEmpty();
                System.out.printf("dashboard: stuck holder shown after %d ms; report paused at %d runs; page %d bytes%n", shownMs, runsWhenPaused,
                        demo.management("/actuator/taskloop/ui").body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            } finally {
                driver.quit();
            }
        }
    }

    /**
     * The rendered text of every element {@code css} selects, read in one script: the page re-renders its
     * alerts and tables on every refresh, so an element found in one call may be gone (stale) by the next.
     */
    @SuppressWarnings("unchecked")
    private static List<String> texts(WebDriver driver, String css) {
        return (List<String>) ((ChromeDriver) driver).executeScript(
                "return Array.from(document.querySelectorAll(arguments[0]), e => e.innerText);", css);
    }

    /** Presses Tab until {@code target} has the focus; fails if it is not reached within as many stops as the page has. */
    private static void tabTo(WebDriver driver, WebElement target) {
        int stops = driver.findElements(By.cssSelector("a, button, input, select, [tabindex]")).size();
        for (int i = 0; i <= stops; i++) {
            if (target.equals(driver.switchTo().activeElement())) {
                return;
            }
            new Actions(driver).sendKeys(Keys.TAB).perform();
        }
        throw new AssertionError("Tab never reached " + target.getAttribute("aria-label") + " in " + stops + " stops");
    }

    @Test
    void withWriteAccessOffThePageShowsEverythingButHasNoButtons() throws Exception {
        assumeChromium();
        Path profile = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "chromium-profile");
        try (DemoProcess demo = DemoProcess.start("--taskloop.shutdown.timeout=2s", "--management.endpoint.taskloop.access=read-only")) {
            demo.awaitReady(Duration.ofSeconds(60));
            WebDriver driver = chromium(profile);
            try {
                driver.get("http://127.0.0.1:" + demo.port() + "/actuator/taskloop/ui");
                Polling.poll("the tasks on the page", Duration.ofSeconds(20), Duration.ofMillis(100)).until(() ->
                        !driver.findElements(By.cssSelector("#declared tr[data-task='ticker']")).isEmpty()
                                && driver.findElement(By.id("tasks")).getText().contains("report"));
                assertThat(driver.findElements(By.cssSelector("button[data-action]"))).as("no control buttons").isEmpty();
                assertThat(driver.findElement(By.id("mode")).getText()).isEqualTo("read-only");
                assertThat(driver.findElement(By.id("footer")).getText()).contains("management.endpoint.taskloop.access=unrestricted");
                screenshot(driver, "dashboard-read-only.png");
                assertThat(severe(driver)).isEmpty();
            } finally {
                driver.quit();
            }
        }
    }
}
