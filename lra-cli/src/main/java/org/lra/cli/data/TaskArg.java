package org.lra.cli.data;

import org.lra.cli.InputException;
import org.lra.data.Task;

/** Parses a task name as written on the command line (listops, text, retrieval, image, pathfinder). */
final class TaskArg {
    private TaskArg() {
    }

    static Task parse(String name) {
        for (Task t : Task.values()) {
            if (t.configName().equals(name)) {
                return t;
            }
        }
        throw new InputException("unknown task '" + name + "'; expected listops, text, retrieval, image or pathfinder");
    }
}
