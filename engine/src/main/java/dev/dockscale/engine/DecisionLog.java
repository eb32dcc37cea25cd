package dev.dockscale.engine;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * The latest decisions of every service, in memory and bounded (the oldest go first), for the API:
 * asked by service, since an instant, a page at a time, newest first. Appended by the loop, read
 * from any thread.
 *
 * <p>Two bounds: a count of decisions, and a count of the replica inputs they hold. Each decision
 * keeps every counted replica's readings, so a service of 300 replicas logs 300 inputs a second:
 * counted in decisions alone, the log would hold three million of them (about a gigabyte).
 */
public final class DecisionLog {

  /** How many decisions are kept when not told: about three hours of one service at 1 s. */
  public static final int DEFAULT_CAPACITY = 10_000;

  /**
   * How many replica inputs the kept decisions may hold together when not told (a few hundred bytes
   * each): 15 minutes of decisions every second for about 110 replicas, 5 minutes for 330.
   */
  public static final int DEFAULT_INPUTS = 100_000;

  private final int capacity;
  private final int inputBudget;
  private long inputs;
  private final Deque<LoggedDecision> entries = new ArrayDeque<>();
  private long nextSeq = 1;

  public DecisionLog(int capacity) {
    this(capacity, DEFAULT_INPUTS);
  }

  /**
   * @param capacity how many decisions are kept at most
   * @param inputBudget how many replica inputs they may hold together; the newest decision is kept
   *     whatever it holds
   */
  public DecisionLog(int capacity, int inputBudget) {
    if (capacity < 1 || inputBudget < 1) {
      throw new IllegalArgumentException(
          "capacity and inputBudget must be at least 1, got " + capacity + " and " + inputBudget);
    }
    this.capacity = capacity;
    this.inputBudget = inputBudget;
  }

  /**
   * A page of decisions, newest first.
   *
   * @param next the {@code before} that asks for the page after this one, {@code null} when this is
   *     the last
   */
  public record Page(List<LoggedDecision> decisions, Long next) {
    public Page {
      decisions = List.copyOf(decisions);
    }
  }

  /** Adds {@code d} with the next sequence number; returns it as logged. */
  public synchronized LoggedDecision append(LoggedDecision d) {
    LoggedDecision logged = d.withSeq(nextSeq++);
    add(logged);
    return logged;
  }

  /**
   * Takes back a decision of an earlier run, as it was logged (oldest first). Its sequence number
   * is kept when it follows the last one; one that does not (a duplicate, one out of order, an
   * edited line) or that leaves no room to count on is renumbered to the next, so that pages never
   * overlap.
   */
  synchronized void restore(LoggedDecision d) {
    LoggedDecision kept =
        d.seq() >= nextSeq && d.seq() < Long.MAX_VALUE / 2 ? d : d.withSeq(nextSeq);
    add(kept);
    nextSeq = kept.seq() + 1;
  }

  private void add(LoggedDecision d) {
    entries.addLast(d);
    inputs += d.decision().inputs().size();
    while (entries.size() > capacity || (inputs > inputBudget && entries.size() > 1)) {
      inputs -= entries.removeFirst().decision().inputs().size();
    }
  }

  /**
   * Decisions newest first: of {@code service} ({@code null}: every service), made at or after
   * {@code since} ({@code null}: any), with a sequence number below {@code before} ({@code null}:
   * from the newest), at most {@code limit}.
   */
  public synchronized Page query(String service, Instant since, Long before, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    List<LoggedDecision> page = new ArrayList<>();
    Iterator<LoggedDecision> it = entries.descendingIterator();
    while (it.hasNext()) {
      LoggedDecision d = it.next();
      if ((since != null && d.decision().at().isBefore(since))
          || (before != null && d.seq() >= before)
          || (service != null && !service.equals(d.service()))) {
        continue;
      }
      if (page.size() == limit) {
        return new Page(page, page.get(page.size() - 1).seq());
      }
      page.add(d);
    }
    return new Page(page, null);
  }
}
