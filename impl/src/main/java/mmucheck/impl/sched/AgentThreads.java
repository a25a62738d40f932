package mmucheck.impl.sched;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads agents run on, kept between runs: starting and joining a handful of threads
 * per run costs more than the run itself when runs are short (a benchmark, a seed search),
 * so a caller doing many runs keeps one of these and passes it to each. Each agent of a
 * run still has a thread of its own for the whole run.
 */
public final class AgentThreads implements AutoCloseable {
    private final Deque<Worker> idle = new ArrayDeque<>();
    private int busy;
    private int created;
    private boolean closed;

    private final class Worker extends Thread {
        private volatile Runnable job;

        Worker(int n) {
            super("mmucheck-agent-" + n);
            setDaemon(true);
        }

        @Override
        public void run() {
            while (true) {
                Runnable j;
                while ((j = job) == null) {
                    synchronized (AgentThreads.this) {
                        if (closed) return;
                    }
                    LockSupport.park(this);
                }
                try {
                    j.run();
                } finally {
                    job = null;
                    synchronized (AgentThreads.this) {
                        idle.push(this);
                        // only awaitIdle() waits on this, for the last job of a run
                        if (--busy == 0) AgentThreads.this.notifyAll();
                    }
                }
            }
        }
    }

    /** Runs {@code job} on an idle thread (a new one if none is idle). */
    public void start(Runnable job) {
        Worker w;
        synchronized (this) {
            if (closed) throw new IllegalStateException("closed");
            w = idle.poll();
            busy++;
            if (w == null) {
                w = new Worker(++created);
                w.job = job;
                w.start();
                return;
            }
        }
        w.job = job;
        LockSupport.unpark(w);
    }

    /** Waits until every job started has returned. */
    public synchronized void awaitIdle() {
        boolean interrupted = false;
        while (busy > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    public synchronized int created() { return created; }

    /** Lets the idle threads end. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            for (Worker w : idle) LockSupport.unpark(w);
        }
    }
}
