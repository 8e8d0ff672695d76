package org.lra.cli.rundir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lra.cli.InputException;
import org.lra.data.io.AtomicFiles;

/**
 * {@code run.json}'s per-process provenance: the {@code processes} list, appended to by every start and resume
 * and updated at each checkpoint and at the end, always by an atomic rewrite of the whole file. A run.json
 * written before the list existed gets a first entry made from its {@code environment} (the first process), with
 * the steps it trained unknown.
 */
public final class RunJson {
    static final String PROCESSES = "processes";
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private RunJson() {
    }

    /** Appends {@code entry} as the run's newest process. */
    public static void appendProcess(Path runDir, ProcessEntry entry) throws IOException {
        ObjectNode root = read(runDir);
        ArrayNode processes = processes(root);
        processes.add(JSON.valueToTree(entry));
        write(runDir, root);
    }

    /** Replaces the newest process entry (the one this process appended). */
    public static void updateLastProcess(Path runDir, ProcessEntry entry) throws IOException {
        ObjectNode root = read(runDir);
        ArrayNode processes = processes(root);
        processes.set(processes.size() - 1, JSON.valueToTree(entry));
        write(runDir, root);
    }

    /** The builds that trained the run, in order, each once (for the report's "made by several builds"). */
    public static List<String> builds(Path runDir) throws IOException {
        List<String> builds = new ArrayList<>();
        for (JsonNode p : processes(read(runDir))) {
            String build = p.path("build").asText("unknown");
            if (!builds.contains(build)) {
                builds.add(build);
            }
        }
        return builds;
    }

    private static ObjectNode read(Path runDir) throws IOException {
        Path file = runDir.resolve(RunFiles.RUN_JSON);
        JsonNode node;
        try {
            node = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new InputException(file + ": unreadable run.json (" + e.getMessage().lines().findFirst().orElse("")
                    + ")", e);
        }
        if (node == null || !node.isObject()) {
            throw new InputException(file + ": not a JSON object; is it a run directory?");
        }
        return (ObjectNode) node;
    }

    private static ArrayNode processes(ObjectNode root) {
        if (root.get(PROCESSES) instanceof ArrayNode existing) {
            return existing;
        }
        ArrayNode list = root.putArray(PROCESSES);
        JsonNode env = root.path("environment");
        if (env.isObject()) { // written before per-process provenance: its first process, steps unknown
            ObjectNode first = list.addObject();
            first.put("build", env.path("buildCommit").asText("unknown"));
            first.put("gitCommit", env.path("gitCommit").asText("unknown"));
            first.put("jvm", env.path("jvm").asText("unknown"));
            first.put("host", env.path("host").asText("unknown"));
            first.put("cpu", env.path("cpu").asText("unknown"));
            first.put("threads", env.path("threads").asInt());
            first.put("firstStep", 1);
            first.putNull("lastStep");
            first.put("startedAt", env.path("startedAt").asText(null));
            first.putNull("endedAt");
            first.put("outcome", "unknown (recorded before run.json listed processes)");
        }
        return list;
    }

    private static void write(Path runDir, ObjectNode root) throws IOException {
        AtomicFiles.write(runDir.resolve(RunFiles.RUN_JSON), JSON.writeValueAsString(root) + "\n");
    }
}
