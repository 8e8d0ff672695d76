package org.lra.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.data.DataFormatException;

/** The dataset lock: re-entrant for its thread, refused for another thread, free again once closed. */
class DatasetLockTest {

    @TempDir
    Path dataDir;

    private static Throwable tryInAnotherThread(Path dataDir, String name) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try (DatasetLock lock = DatasetLock.acquire(dataDir, name)) {
                // acquired
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        return failure.get();
    }

    @Test
    void reentrantForItsThreadRefusedForAnother() throws Exception {
        try (DatasetLock outer = DatasetLock.acquire(dataDir, "conc")) {
            try (DatasetLock inner = DatasetLock.acquire(dataDir, "conc")) {
                Throwable refused = tryInAnotherThread(dataDir, "conc");
                assertNotNull(refused, "another thread must not write the same name");
                assertTrue(refused instanceof DataFormatException, refused.toString());
                assertTrue(refused.getMessage().startsWith(dataDir.resolve("conc") + ": this process (PID "),
                        refused.getMessage());
            }
            assertNotNull(tryInAnotherThread(dataDir, "conc"), "still held after the inner close");
            assertNull(tryInAnotherThread(dataDir, "other"), "names are independent");
        }
        assertNull(tryInAnotherThread(dataDir, "conc"), "free once the outer hold is closed");
        assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(DatasetLock.file(dataDir, "conc")));
    }
}
