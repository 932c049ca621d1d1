package io.ventiapi.runner.launch.kubernetes;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.ScalableResource;
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
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each scan as a Kubernetes Job in its tenant's namespace (provisioned on the way), with a
 * Secret holding its spec document and credentials and a NetworkPolicy that opens egress to DNS and
 * its target only, both owned by the Job. A scan whose Job exists already (its runner died) is
 * attached to, never started twice. A target that does not resolve, or resolves where scanner pods
 * may not go, ends the scan as failed without a workload; errors of the API server propagate
 * ({@code KubernetesClientException}), after whatever the failed start created was deleted.
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
        this.egress =
                new ScanEgressPlanner(resolver, false, properties.allowPrivateTargets(), new NodeAddresses(client));
        this.statusPollInterval = properties.statusPollInterval();
    }

    @Override
    public RunningScan startOrAttach(ScanJob job) {
        String namespace = provisioner.provision(job.tenant());
        Optional<Job> existing = findJob(namespace, job);
        if (existing.isPresent()) {
            Job found = existing.get();
            if (JobOutcomes.isFinished(found) || hasSecret(found)) {
                log.info("scan {}: attaching to Job {}/{}", job.scanId(), namespace, name(found));
                return new KubernetesRunningScan(client, found, job, statusPollInterval);
            }
            // Its runner stopped between creating the Job and its Secret: the pod waits for the Secret.
            log.info("scan {}: attaching to Job {}/{} and creating its Secret", job.scanId(), namespace, name(found));
            return withDependents(found, job, namespace);
        }
        // Resolved before anything is created: a refused target leaves nothing behind.
        List<EgressDestination> destinations;
        try {
            destinations = egress.destinations(job);
        } catch (ScanEgressPlanner.RefusedEgressException e) {
            log.warn("scan {}: not started: {}", job.scanId(), e.detail());
            return new NotStartedScan(e.getMessage());
        }
        Job created;
        try {
            created = client.resource(manifests.job(job, namespace)).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                // another runner started the same scan a moment ago: follow its Job
                created = findJob(namespace, job).orElseThrow(() -> e);
                return new KubernetesRunningScan(client, created, job, statusPollInterval);
            }
            // The Job may have been created all the same (an answer lost on the way back).
            removeAfterFailedStart(namespace, job, e);
            throw e;
        }
        log.info("scan {}: started Job {}/{}", job.scanId(), namespace, name(created));
        return withDependents(created, job, namespace, destinations);
    }

    /** Creates the NetworkPolicy and Secret of a Job whose runner stopped before it could. */
    private RunningScan withDependents(Job created, ScanJob job, String namespace) {
        List<EgressDestination> destinations;
        try {
            destinations = egress.destinations(job);
        } catch (ScanEgressPlanner.RefusedEgressException e) {
            log.warn("scan {}: not started: {}", job.scanId(), e.detail());
            removeAfterFailedStart(namespace, job, e);
            return new NotStartedScan(e.getMessage());
        }
        return withDependents(created, job, namespace, destinations);
    }

    /**
     * Creates the Job's NetworkPolicy and Secret, each owned by the Job from its creation, so that
     * Kubernetes' garbage collector removes them with the Job (after its TTL) whatever becomes of
     * this runner: the Secret, which holds the identities in clear, never exists without its owner.
     * The pod cannot start before the Secret exists (a volume it requires), so it never runs without
     * its files, nor, the policy being created first, without its egress rules. If either cannot be
     * created, the Job is deleted with them: no scan runs that nobody follows.
     */
    private RunningScan withDependents(
            Job created, ScanJob job, String namespace, List<EgressDestination> destinations) {
        try {
            apply(ownedBy(manifests.networkPolicy(job, namespace, destinations), created));
            apply(ownedBy(manifests.secret(job, namespace, destinations), created));
        } catch (RuntimeException e) {
            removeAfterFailedStart(namespace, job, e);
            throw e;
        }
        return new KubernetesRunningScan(client, created, job, statusPollInterval);
    }

    /**
     * Deletes what a start that failed half-way created for this scanner (by its labels, so also
     * what a lost answer created); a failure to do so is added to {@code failure}, which the
     * caller reports.
     */
    private void removeAfterFailedStart(String namespace, ScanJob job, Exception failure) {
        log.warn("scan {}: could not be started; deleting what was created for it", job.scanId());
        try {
            delete(namespace, VentiLabels.workload(job));
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Deletes the scan's Jobs (their pods with them), Secrets and NetworkPolicies, as cancel and
     * close do; by its label, so that whatever of its objects a runner left behind goes too.
     */
    @Override
    public void stopIfRunning(TenantId tenant, String scanId) {
        String namespace = tenant.namespace();
        for (Job job :
                jobs(namespace, Map.of(VentiLabels.SCAN_ID, scanId)).list().getItems()) {
            log.info("scan {}: cancelled; deleting Job {}/{} left behind", scanId, namespace, name(job));
        }
        delete(namespace, Map.of(VentiLabels.SCAN_ID, scanId));
    }

    private void delete(String namespace, Map<String, String> labels) {
        jobs(namespace, labels)
                .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                .delete();
        client.secrets().inNamespace(namespace).withLabels(labels).delete();
        client.network()
                .v1()
                .networkPolicies()
                .inNamespace(namespace)
                .withLabels(labels)
                .delete();
    }

    private FilterWatchListDeletable<Job, JobList, ScalableResource<Job>> jobs(
            String namespace, Map<String, String> labels) {
        return client.batch().v1().jobs().inNamespace(namespace).withLabels(labels);
    }

    private boolean hasSecret(Job job) {
        return client.secrets()
                        .inNamespace(job.getMetadata().getNamespace())
                        .withName(name(job))
                        .get()
                != null;
    }

    private static String name(HasMetadata object) {
        return object.getMetadata().getName();
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

    private static <T extends HasMetadata> T ownedBy(T dependent, Job job) {
        OwnerReference owner = new OwnerReferenceBuilder()
                .withApiVersion(job.getApiVersion())
                .withKind(job.getKind())
                .withName(job.getMetadata().getName())
                .withUid(job.getMetadata().getUid())
                .build();
        dependent.getMetadata().setOwnerReferences(List.of(owner));
        return dependent;
    }
}
