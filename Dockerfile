# syntax=docker/dockerfile:1
#
# The demo application as a container image: Spring Boot's layered extraction (dependencies change
# less often than the application, so image layers are reused) and a JDK 25 AOT cache (JEP 483/514:
# classes loaded and linked in a training run are mapped at startup instead of loaded again).
#
#   ./mvnw -B package -DskipTests
#   docker build -t taskloop-demo:0.1.0-SNAPSHOT .
#
# ContainerImageIT replays this file's `java` steps on the built jar with the local JDK 25 and starts
# the result with the AOT cache required (-XX:AOTMode=on) and the Helm chart's configuration.
# The AOT cache is only valid for the JVM that made it: the training run must happen in the final
# image, with the same JDK and the same class path (hence here, not in the build stage).

ARG JAVA_IMAGE=eclipse-temurin:25-jre

FROM ${JAVA_IMAGE} AS extract
WORKDIR /build
ARG JAR_FILE=target/taskloop-spring-boot-starter-*-exec.jar
COPY ${JAR_FILE} app.jar
# Boot 4's jarmode tools: a thin app.jar whose manifest Class-Path names lib/*.jar, split into layers
# (dependencies, spring-boot-loader, snapshot-dependencies, application). Without --launcher: the AOT
# cache only holds classes loaded from jar files by the JDK's own class loaders, which Spring Boot's
# nested-jar launcher would bypass.
RUN java -Djarmode=tools -jar app.jar extract --layers --destination extracted

FROM ${JAVA_IMAGE}
RUN groupadd --system --gid 10001 taskloop \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /app --shell /usr/sbin/nologin taskloop
WORKDIR /app
COPY --from=extract /build/extracted/dependencies/ ./
COPY --from=extract /build/extracted/spring-boot-loader/ ./
COPY --from=extract /build/extracted/snapshot-dependencies/ ./
COPY --from=extract /build/extracted/application/ ./
# Training run: starts the application context and exits once it is refreshed; the JVM records the
# classes it loaded and writes the AOT cache app.aot on exit.
RUN java -XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh -jar app.jar
# Numeric, so that Kubernetes' runAsNonRoot can verify it; the Helm chart runs as the same uid.
USER 10001:10001
ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080 8081
ENTRYPOINT ["java", "-XX:AOTCache=app.aot", "-jar", "app.jar"]
