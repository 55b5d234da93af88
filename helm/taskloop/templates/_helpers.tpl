{{/* Names and labels. */}}
{{- define "taskloop.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "taskloop.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* "<fullname>-metrics", kept within 63 characters. */}}
{{- define "taskloop.metricsName" -}}
{{- printf "%s-metrics" (include "taskloop.fullname" . | trunc 55 | trimSuffix "-") -}}
{{- end -}}

{{/* "<fullname>-leader-election" (Role and RoleBinding), kept within 63 characters. */}}
{{- define "taskloop.leaderElectionName" -}}
{{- printf "%s-leader-election" (include "taskloop.fullname" . | trunc 47 | trimSuffix "-") -}}
{{- end -}}

{{/* Whether the pods mount a service-account token: asked for, or needed by the Lease backend. */}}
{{- define "taskloop.automountToken" -}}
{{- or .Values.serviceAccount.automountToken (eq .Values.leaderElection.backend "kubernetes") -}}
{{- end -}}

{{- define "taskloop.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "taskloop.selectorLabels" -}}
app.kubernetes.io/name: {{ include "taskloop.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "taskloop.labels" -}}
helm.sh/chart: {{ include "taskloop.chart" . }}
{{ include "taskloop.selectorLabels" . }}
app.kubernetes.io/version: {{ include "taskloop.imageTag" . | replace "+" "_" | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: taskloop
{{- end -}}

{{- define "taskloop.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "taskloop.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "taskloop.imageTag" -}}
{{- default .Chart.AppVersion .Values.image.tag -}}
{{- end -}}

{{- define "taskloop.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (include "taskloop.imageTag" .) -}}
{{- end -}}
{{- end -}}

{{/*
A duration as Spring Boot reads it ("500ms", "20s", "1m"; values.schema.json allows only these forms)
in milliseconds. Usage: include "taskloop.millis" (list "shutdown.phaseTimeout" .Values.shutdown.phaseTimeout)
*/}}
{{- define "taskloop.millis" -}}
{{- $key := index . 0 -}}
{{- $value := toString (index . 1) -}}
{{- if not (regexMatch "^[0-9]+(ms|s|m)$" $value) -}}
{{- fail (printf "%s: %q is not a duration this chart can add up; write a whole number followed by ms, s or m (e.g. 20s)" $key $value) -}}
{{- end -}}
{{- $n := regexFind "^[0-9]+" $value | int64 -}}
{{- $unit := regexFind "[a-z]+$" $value -}}
{{- if eq $unit "ms" -}}{{ $n }}{{- else if eq $unit "s" -}}{{ mul $n 1000 }}{{- else -}}{{ mul $n 60000 }}{{- end -}}
{{- end -}}

{{/* Whole seconds, rounded up, of a duration in milliseconds. */}}
{{- define "taskloop.ceilSeconds" -}}
{{- div (add (int64 .) 999) 1000 -}}
{{- end -}}

{{/*
The shortest grace period that lets the pod shut down in order:
  preStop sleep + the drain phase + web server drain (at most one shutdown phase) + the loops' shutdown timeout + margin.
Also refuses a Taskloop timeout that the application itself would refuse.
*/}}
{{- define "taskloop.minimumGracePeriod" -}}
{{- $phaseMs := include "taskloop.millis" (list "shutdown.phaseTimeout" .Values.shutdown.phaseTimeout) | int64 -}}
{{- $loopMs := include "taskloop.millis" (list "shutdown.taskloopTimeout" .Values.shutdown.taskloopTimeout) | int64 -}}
{{- $drainMs := include "taskloop.millis" (list "shutdown.drainTimeout" .Values.shutdown.drainTimeout) | int64 -}}
{{- if ge $drainMs $phaseMs -}}
{{- fail (printf "shutdown.drainTimeout (%s) must be shorter than shutdown.phaseTimeout (%s): the application refuses to start otherwise; lower shutdown.drainTimeout or raise shutdown.phaseTimeout" .Values.shutdown.drainTimeout .Values.shutdown.phaseTimeout) -}}
{{- end -}}
{{- if ge $loopMs $phaseMs -}}
{{- fail (printf "shutdown.taskloopTimeout (%s) must be shorter than shutdown.phaseTimeout (%s): the application refuses to start otherwise (Spring stops waiting for the loops after one phase timeout, cutting off tasks still cleaning up); lower shutdown.taskloopTimeout or raise shutdown.phaseTimeout" .Values.shutdown.taskloopTimeout .Values.shutdown.phaseTimeout) -}}
{{- end -}}
{{- add (int64 .Values.shutdown.preStopSleepSeconds) (include "taskloop.ceilSeconds" $drainMs | int64) (include "taskloop.ceilSeconds" $phaseMs | int64) (include "taskloop.ceilSeconds" $loopMs | int64) (int64 .Values.shutdown.marginSeconds) -}}
{{- end -}}

{{- define "taskloop.terminationGracePeriodSeconds" -}}
{{- $minimum := include "taskloop.minimumGracePeriod" . | int64 -}}
{{- $given := .Values.shutdown.terminationGracePeriodSeconds -}}
{{- if kindIs "invalid" $given -}}
{{- $minimum -}}
{{- else if lt (int64 $given) $minimum -}}
{{- fail (printf "shutdown.terminationGracePeriodSeconds (%d) is too short: the pod needs at least %d s = preStopSleepSeconds %d + drainTimeout %s (the tasks' drain) + phaseTimeout %s (the web server's drain) + taskloopTimeout %s (the loops' cleanup) + marginSeconds %d, or Kubernetes kills it (SIGKILL) while its tasks are still cleaning up; raise it, leave it empty to have it computed, or shorten the timeouts" (int64 $given) $minimum (int64 .Values.shutdown.preStopSleepSeconds) (toString .Values.shutdown.drainTimeout) .Values.shutdown.phaseTimeout .Values.shutdown.taskloopTimeout (int64 .Values.shutdown.marginSeconds)) -}}
{{- else -}}
{{- int64 $given -}}
{{- end -}}
{{- end -}}

{{/*
Keys of .Values.config (nested or dotted) that the chart sets itself, compared the way Spring's relaxed
binding does (case, dashes and underscores ignored).
*/}}
{{- define "taskloop.flatKeys" -}}
{{- $prefix := index . 0 -}}
{{- range $k, $v := index . 1 -}}
{{- $key := ternary $k (printf "%s.%s" $prefix $k) (eq $prefix "") -}}
{{- if kindIs "map" $v -}}
{{- include "taskloop.flatKeys" (list $key $v) -}}
{{- else -}}
{{- printf "%s\n" $key -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "taskloop.checkConfig" -}}
{{- $managed := dict
  "server.port" "ports.http"
  "server.address" "(none: the pod listens on every address)"
  "server.shutdown" "(none: always graceful)"
  "management.server.port" "ports.management"
  "management.server.address" "(none: the pod listens on every address)"
  "management.endpoints.web.exposure.include" "actuator.extraEndpoints"
  "management.endpoint.health.probes.enabled" "(none: the probes need it)"
  "management.endpoint.taskloop.access" "actuator.taskloopAccess"
  "spring.lifecycle.timeout-per-shutdown-phase" "shutdown.phaseTimeout"
  "taskloop.shutdown.timeout" "shutdown.taskloopTimeout"
  "taskloop.shutdown.drain-timeout" "shutdown.drainTimeout"
  "spring.config.additional-location" "(none: the chart mounts this configuration there)"
  "taskloop.leader.backend" "leaderElection.backend"
  "taskloop.leader.kubernetes.lease-name-prefix" "(none: the chart names the Leases after the release)"
-}}
{{- $normalized := dict -}}
{{- range $k, $v := $managed -}}
{{- $_ := set $normalized ($k | lower | replace "-" "" | replace "_" "") (list $k $v) -}}
{{- end -}}
{{- range $key := splitList "\n" (include "taskloop.flatKeys" (list "" .Values.config)) -}}
{{- if $key -}}
{{- $norm := $key | lower | replace "-" "" | replace "_" "" -}}
{{- range $m, $entry := $normalized -}}
{{- if or (eq $norm $m) (hasPrefix (printf "%s." $m) $norm) (hasPrefix (printf "%s." $norm) $m) -}}
{{- fail (printf "config.%s: the chart sets %s itself; use the value %s instead" $key (index $entry 0) (index $entry 1)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The application.yaml the ConfigMap carries: the chart's settings over the user's config. */}}
{{- define "taskloop.applicationYaml" -}}
{{- include "taskloop.checkConfig" . -}}
{{- $endpoints := concat (list "health" "info" "prometheus" "taskloop") .Values.actuator.extraEndpoints | uniq -}}
{{- $managed := dict
  "server" (dict "port" .Values.ports.http "address" "0.0.0.0" "shutdown" "graceful")
  "spring" (dict "lifecycle" (dict "timeout-per-shutdown-phase" .Values.shutdown.phaseTimeout))
  "management" (dict
    "server" (dict "port" .Values.ports.management "address" "0.0.0.0")
    "endpoints" (dict "web" (dict "exposure" (dict "include" (join "," $endpoints))))
    "endpoint" (dict
      "health" (dict "probes" (dict "enabled" true))
      "taskloop" (dict "access" .Values.actuator.taskloopAccess)))
  "taskloop" (dict "shutdown" (dict "timeout" .Values.shutdown.taskloopTimeout "drain-timeout" (toString .Values.shutdown.drainTimeout) "exit-zero-on-sigterm" true))
-}}
{{- with .Values.leaderElection.backend -}}
{{- $leader := dict "backend" . -}}
{{- if eq . "kubernetes" -}}
{{- $_ := set $leader "kubernetes" (dict "lease-name-prefix" (printf "%s-" (include "taskloop.fullname" $))) -}}
{{- end -}}
{{- $_ := set $managed.taskloop "leader" $leader -}}
{{- end -}}
{{- mustMergeOverwrite (deepCopy .Values.config) $managed | toYaml -}}
{{- end -}}

{{/* JDK_JAVA_OPTIONS: container-aware heap sizing and exit on OOM. */}}
{{- define "taskloop.javaOptions" -}}
{{- $opts := list (printf "-XX:MaxRAMPercentage=%v" .Values.jvm.maxRamPercentage) -}}
{{- if .Values.jvm.exitOnOutOfMemoryError -}}
{{- $opts = append $opts "-XX:+ExitOnOutOfMemoryError" -}}
{{- end -}}
{{- $opts = append $opts "-Djava.io.tmpdir=/tmp" -}}
{{- join " " (concat $opts .Values.jvm.extraOptions) -}}
{{- end -}}

{{/* Resources with the memory limit defaulting to the memory request. */}}
{{- define "taskloop.resources" -}}
{{- $requests := .Values.resources.requests | default dict -}}
{{- $limits := deepCopy (.Values.resources.limits | default dict) -}}
{{- if not $requests.memory -}}
{{- fail "resources.requests.memory is required: the JVM sizes its heap from the memory limit, which defaults to the request" -}}
{{- end -}}
{{- if not (hasKey $limits "memory") -}}
{{- $_ := set $limits "memory" $requests.memory -}}
{{- end -}}
{{- toYaml (dict "requests" $requests "limits" $limits) -}}
{{- end -}}

{{/* Refusals that concern several values at once. */}}
{{- define "taskloop.validate" -}}
{{- if and .Values.metrics.serviceMonitor.enabled (eq .Values.actuator.taskloopAccess "unrestricted") -}}
{{- fail (printf "actuator.taskloopAccess=unrestricted together with metrics.serviceMonitor.enabled would make DELETE /actuator/taskloop/{task} (cancel a task) reachable through the Service %s; keep actuator.taskloopAccess=read-only, or disable the ServiceMonitor and cancel through kubectl port-forward to one pod" (include "taskloop.metricsName" .)) -}}
{{- end -}}
{{- if eq (int .Values.ports.http) (int .Values.ports.management) -}}
{{- fail (printf "ports.http and ports.management are both %d: the management port must be a port of its own, so that the Service never reaches Actuator" (int .Values.ports.http)) -}}
{{- end -}}
{{- if and .Values.podDisruptionBudget.enabled (not (kindIs "invalid" .Values.podDisruptionBudget.maxUnavailable)) (not (kindIs "invalid" .Values.podDisruptionBudget.minAvailable)) -}}
{{- fail "podDisruptionBudget: set maxUnavailable or minAvailable, not both (set the other to null)" -}}
{{- end -}}
{{- if and .Values.podDisruptionBudget.enabled (kindIs "invalid" .Values.podDisruptionBudget.maxUnavailable) (kindIs "invalid" .Values.podDisruptionBudget.minAvailable) -}}
{{- fail "podDisruptionBudget: set one of maxUnavailable and minAvailable" -}}
{{- end -}}
{{- if and .Values.autoscaling.enabled (gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) -}}
{{- fail (printf "autoscaling.minReplicas (%d) is above autoscaling.maxReplicas (%d)" (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) -}}
{{- end -}}
{{- if and .Values.autoscaling.enabled (kindIs "invalid" .Values.autoscaling.targetCPUUtilizationPercentage) (kindIs "invalid" .Values.autoscaling.targetMemoryUtilizationPercentage) -}}
{{- fail "autoscaling.enabled needs a target: set targetCPUUtilizationPercentage or targetMemoryUtilizationPercentage" -}}
{{- end -}}
{{- if .Values.metrics.serviceMonitor.enabled -}}
{{- $interval := include "taskloop.promMillis" (list "metrics.serviceMonitor.interval" .Values.metrics.serviceMonitor.interval) | int64 -}}
{{- $timeout := include "taskloop.promMillis" (list "metrics.serviceMonitor.scrapeTimeout" .Values.metrics.serviceMonitor.scrapeTimeout) | int64 -}}
{{- if gt $timeout $interval -}}
{{- fail (printf "metrics.serviceMonitor.scrapeTimeout (%s) is longer than its interval (%s); Prometheus refuses that" .Values.metrics.serviceMonitor.scrapeTimeout .Values.metrics.serviceMonitor.interval) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "taskloop.promMillis" -}}
{{- $value := toString (index . 1) -}}
{{- if hasSuffix "h" $value -}}
{{- mul (regexFind "^[0-9]+" $value | int64) 3600000 -}}
{{- else -}}
{{- include "taskloop.millis" . -}}
{{- end -}}
{{- end -}}
