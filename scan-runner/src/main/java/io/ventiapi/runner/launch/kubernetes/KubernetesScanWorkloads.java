package io.ventiapi.runner.launch.kubernetes;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.ventiapi.protocol.ScanJob;
import io.ventiapi.runner.launch.EgressDestination;
import io.ventiapi.runner.launch.HostResolver;
import io.ventiapi.runner.launch.RunningScan;
import io.ventiapi.runner.launch.ScanEgressPlanner;
import io.ventiapi.runner.launch.ScanWorkloads;
import io.ventiapi.tenancy.TenantId;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each scan as a Kubernetes Job in its tenant's namespace (provisioned on the way), next to a
 * Secret with its spec document and credentials and a NetworkPolicy that opens egress to DNS and
 * its target only. A scan whose Job exists already (its runner died) is attached to, never started
 * twice. A target that does not resolve, or resolves where scanner pods may not go, ends the scan
 * as failed without a workload; errors of the API server propagate ({@code
 * KubernetesClientException}).
 */
public final class KubernetesScanWorkloads implements ScanWorkloads {

    private static final Logger log = LoggerFactory.getLogger(KubernetesScanWorkloads.class);

    private final KubernetesClient client;
    private final TenantNamespaceProvisioner provisioner;
    private final KubernetesScanManifests manifests;
    private final ScanEgressPlanner egress;
    private final Duration statusPollInterval;

    /** @param resolver resolves the targets' host names (the runner's view of DNS) */
    public KubernetesScanWorkloads(
            KubernetesClient client, KubernetesLauncherProperties properties, HostResolver resolver) {
        this.client = client;
        this.provisioner = new TenantNamespaceProvisioner(client, properties);
        this.manifests = new KubernetesScanManifests(client, properties);
        this.egress = new ScanEgressPlanner(resolver, false, properties.allowPrivateTargets());
        this.statusPollInterval = properties.statusPollInterval();
    }

    @Override
    public RunningScan startOrAttach(ScanJob job) {
        String namespace = provisioner.provision(job.tenant());
        Optional<Job> existing = findJob(namespace, job);
        if (existing.isPresent()) {
            log.info(
                    "scan {}: attaching to Job {}/{}",
                    job.scanId(),
                    namespace,
                    existing.get().getMetadata().getName());
            return new KubernetesRunningScan(client, existing.get(), job, statusPollInterval);
        }
        List<EgressDestination> destinations;
        try {
            destinations = egress.destinations(job);
        } catch (ScanEgressPlanner.RefusedEgressException e) {
            log.warn("scan {}: not started: {}", job.scanId(), e.detail());
            return new NotStartedScan(e.getMessage());
        }
        // Policy and Secret first: the pod must never run without its egress rules or its files.
        HasMetadata policy = apply(manifests.networkPolicy(job, namespace, destinations));
        HasMetadata secret = apply(manifests.secret(job, namespace, destinations));
        Job created;
        try {
            created = client.resource(manifests.job(job, namespace)).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            // another runner started the same scan a moment ago: follow its Job
            created = findJob(namespace, job).orElseThrow(() -> e);
            return new KubernetesRunningScan(client, created, job, statusPollInterval);
        }
        ownedByJob(policy, created);
        ownedByJob(secret, created);
        log.info(
                "scan {}: started Job {}/{}",
                job.scanId(),
                namespace,
                created.getMetadata().getName());
        return new KubernetesRunningScan(client, created, job, statusPollInterval);
    }

    /**
     * Deletes the scan's Jobs (their pods with them), Secrets and NetworkPolicies, as cancel and
     * close do; by its label, so that what a runner created before it died without creating the Job
     * (a Secret holding the identities) goes too.
     */
    @Override
    public void stopIfRunning(TenantId tenant, String scanId) {
        String namespace = tenant.namespace();
        var jobs = client.batch().v1().jobs().inNamespace(namespace).withLabel(VentiLabels.SCAN_ID, scanId);
        for (Job job : jobs.list().getItems()) {
            log.info(
                    "scan {}: cancelled; deleting Job {}/{} left behind",
                    scanId,
                    namespace,
                    job.getMetadata().getName());
        }
        jobs.withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        client.secrets()
                .inNamespace(namespace)
                .withLabel(VentiLabels.SCAN_ID, scanId)
                .delete();
        client.network()
                .v1()
                .networkPolicies()
                .inNamespace(namespace)
                .withLabel(VentiLabels.SCAN_ID, scanId)
                .delete();
    }

    private Optional<Job> findJob(String namespace, ScanJob job) {
        return client
                .batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .withLabels(VentiLabels.workload(job))
                .list()
                .getItems()
                .stream()
                .findFirst();
    }

    private <T extends HasMetadata> T apply(T resource) {
        return client.resource(resource).createOr(NonDeletingOperation::update);
    }

    /**
     * Makes the Job the owner of its Secret and NetworkPolicy, so that Kubernetes' garbage
     * collector removes them with the Job (after its TTL) when no runner is left to close it.
     */
    private void ownedByJob(HasMetadata dependent, Job job) {
        OwnerReference owner = new OwnerReferenceBuilder()
                .withApiVersion(job.getApiVersion())
                .withKind(job.getKind())
                .withName(job.getMetadata().getName())
                .withUid(job.getMetadata().getUid())
                .build();
        client.resource(dependent).edit(current -> {
            current.getMetadata().setOwnerReferences(List.of(owner));
            return current;
        });
    }
}
