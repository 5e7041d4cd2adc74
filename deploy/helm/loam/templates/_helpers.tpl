{{/* Labels on every object; pod selectors use only name and component. */}}
{{- define "loam.labels" -}}
app.kubernetes.io/part-of: loam
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end }}

{{- define "loam.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{- define "loam.sidecarImage" -}}
{{ .image }}:{{ .tag }}
{{- end }}

{{/* imagePullPolicy of the sidecars when sidecars.pullPolicy sets one (else Kubernetes' default). */}}
{{- define "loam.sidecarPullPolicy" -}}
{{- with .Values.sidecars.pullPolicy }}imagePullPolicy: {{ . }}{{ end }}
{{- end }}

{{/* The LOAM_POOLS value: NAME=PATH[,reserve=SIZE][,overcommit=RATIO][,shared], ';'-separated. */}}
{{- define "loam.pools" -}}
{{- $shared := eq .Values.mode "shared" -}}
{{- $specs := list -}}
{{- range .Values.pools -}}
{{- if and $shared (not (hasPrefix (printf "%s/" (trimSuffix "/" $.Values.sharedMount)) .path)) -}}
{{- fail (printf "pool %s: in mode shared its path %s must lie below sharedMount %s" .name .path $.Values.sharedMount) -}}
{{- end -}}
{{- $spec := printf "%s=%s" .name .path -}}
{{- if .reserve }}{{ $spec = printf "%s,reserve=%v" $spec .reserve }}{{ end -}}
{{- if .overcommit }}{{ $spec = printf "%s,overcommit=%v" $spec .overcommit }}{{ end -}}
{{- if $shared }}{{ $spec = printf "%s,shared" $spec }}{{ end -}}
{{- $specs = append $specs $spec -}}
{{- end -}}
{{- join ";" $specs -}}
{{- end }}

{{- define "loam.validate" -}}
{{- if not (has .Values.mode (list "local" "shared")) -}}
{{- fail (printf "mode must be local or shared, not %q" .Values.mode) -}}
{{- end -}}
{{- if not .Values.pools -}}
{{- fail "at least one pool is needed" -}}
{{- end -}}
{{- end }}

{{/*
A mode change flips the CSIDriver's attachRequired, which Kubernetes never lets change: the
upgrade would fail half-applied. Refused up front when the cluster's CSIDriver disagrees.
lookup answers only against a cluster (helm install/upgrade, --dry-run=server); helm template
renders without the check.
*/}}
{{- define "loam.refuseModeChange" -}}
{{- $existing := lookup "storage.k8s.io/v1" "CSIDriver" "" .Values.driverName -}}
{{- if $existing -}}
{{- $wanted := eq .Values.mode "shared" -}}
{{- $current := dig "spec" "attachRequired" false $existing -}}
{{- if ne $current $wanted -}}
{{- fail (printf "mode %s needs CSIDriver %s with attachRequired=%t, but the cluster's has %t, and Kubernetes does not let attachRequired change. Switch modes by uninstalling (helm uninstall keeps PVs, images and pools; stop the pods that use Loam volumes first) and installing again with mode=%s." .Values.mode .Values.driverName $wanted $current .Values.mode) -}}
{{- end -}}
{{- end -}}
{{- end }}

{{/* The Loam container of a pod; .component is node or controller. */}}
{{- define "loam.driverContainer" -}}
{{- $v := .root.Values -}}
- name: loam
  image: {{ include "loam.image" .root }}
  imagePullPolicy: {{ $v.image.pullPolicy }}
  args:
    - serve
    - --driver-name={{ $v.driverName }}
    {{- if $v.metrics.enabled }}
    - --http-endpoint=:{{ $v.metrics.port }}
    {{- end }}
    - --log-level={{ $v.logLevel }}
    {{- if eq .component "node" }}
    - --allowed-root={{ $v.kubeletDir }}
    {{- end }}
  env:
    - name: CSI_ENDPOINT
      value: unix:///csi/csi.sock
    - name: KUBE_NODE_NAME
      valueFrom:
        fieldRef:
          fieldPath: spec.nodeName
    - name: LOAM_MODE
      value: {{ .mode }}
    - name: LOAM_POOLS
      value: {{ include "loam.pools" .root | quote }}
  {{- if eq .component "node" }}
  securityContext:
    privileged: true
  {{- end }}
  ports:
    - name: healthz
      containerPort: {{ $v.sidecars.livenessProbe.port }}
    {{- if $v.metrics.enabled }}
    - name: http-metrics
      containerPort: {{ $v.metrics.port }}
    {{- end }}
  livenessProbe:
    httpGet:
      path: /healthz
      port: healthz
    initialDelaySeconds: 10
    periodSeconds: 10
    timeoutSeconds: 3
    failureThreshold: 5
  {{- if $v.metrics.enabled }}
  readinessProbe:
    httpGet:
      path: /readyz
      port: http-metrics
    periodSeconds: 10
  {{- end }}
  resources:
    {{- toYaml $v.resources.driver | nindent 4 }}
  volumeMounts:
    - name: socket-dir
      mountPath: /csi
    {{- if eq .component "node" }}
    - name: pods-dir
      mountPath: {{ $v.kubeletDir }}/pods
      mountPropagation: Bidirectional
    - name: plugins-dir
      mountPath: {{ $v.kubeletDir }}/plugins
      mountPropagation: Bidirectional
    - name: dev-dir
      mountPath: /dev
    {{- end }}
    {{- include "loam.poolMounts" .root | nindent 4 }}
{{- end }}

{{- define "loam.poolMounts" -}}
{{- if eq .Values.mode "shared" -}}
- name: pool-shared
  mountPath: {{ .Values.sharedMount }}
  mountPropagation: HostToContainer
{{- else -}}
{{- range .Values.pools }}
- name: pool-{{ .name }}
  mountPath: {{ .path }}
  mountPropagation: HostToContainer
{{- end }}
{{- end }}
{{- end }}

{{- define "loam.poolVolumes" -}}
{{- if eq .Values.mode "shared" -}}
- name: pool-shared
  hostPath:
    path: {{ .Values.sharedMount }}
    type: Directory
{{- else -}}
{{- range .Values.pools }}
- name: pool-{{ .name }}
  hostPath:
    path: {{ .path }}
    type: DirectoryOrCreate
{{- end }}
{{- end }}
{{- end }}

{{- define "loam.livenessProbeContainer" -}}
- name: liveness-probe
  image: {{ include "loam.sidecarImage" .Values.sidecars.livenessProbe }}
  {{- include "loam.sidecarPullPolicy" . | nindent 2 }}
  args:
    - --csi-address=/csi/csi.sock
    - --health-port={{ .Values.sidecars.livenessProbe.port }}
  resources:
    {{- toYaml .Values.resources.smallSidecar | nindent 4 }}
  volumeMounts:
    - name: socket-dir
      mountPath: /csi
{{- end }}

{{- define "loam.podAnnotations" -}}
{{- if and .Values.metrics.enabled .Values.metrics.podAnnotations -}}
annotations:
  prometheus.io/scrape: "true"
  prometheus.io/port: {{ .Values.metrics.port | quote }}
  prometheus.io/path: /metrics
{{- end }}
{{- end }}
