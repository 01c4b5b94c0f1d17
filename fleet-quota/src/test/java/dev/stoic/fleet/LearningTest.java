package dev.stoic.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** How a learned quota moves with the fleet's counts of one window: a pure function. */
class LearningTest {
  private static final long WINDOW = 100;
  private static final long VERSION = (WINDOW + 1) * Learning.WINDOW_MILLIS;

  private final Learning learning = new Learning();

  private static FleetState learned(long limit, boolean settled) {
    return FleetState.NONE.learned(limit, 5, settled);
  }

  private FleetState decide(FleetState state, long accepted, long refused) {
    return learning.decide(state, WINDOW, new long[] {accepted, refused, 4});
  }

  @Test
  void whileMeasuringAWindowWith429sGivesTheQuota() {
    assertEquals(FleetState.NONE.learned(20, VERSION, false), decide(learned(0, false), 20, 31));
    assertNull(decide(learned(0, false), 20, 0), "no 429: the server's rate is not reached");
  }

  @Test
  void beforeItSettlesAWindowWithout429sQuadruplesIt() {
    assertEquals(80, Pace.of(learned(20, false), 0.97).perWindow());
    assertEquals(FleetState.NONE.learned(75, VERSION, false), decide(learned(20, false), 75, 0));
  }

  @Test
  void aWindowWith429sSettlesIt() {
    assertEquals(FleetState.NONE.learned(30, VERSION, true), decide(learned(20, false), 30, 50));
    assertEquals(FleetState.NONE.learned(20, VERSION, true), decide(learned(20, false), 12, 50),
        "a window the fleet sent little in does not lower it");
  }

  @Test
  void onceSettledItIsPacedAFifthAboveAndRaisedWhenThatIsAllAccepted() {
    assertEquals(24, Pace.of(learned(20, true), 0.97).perWindow());
    assertEquals(FleetState.NONE.learned(24, VERSION, true), decide(learned(20, true), 24, 0));
    assertNull(decide(learned(20, true), 10, 0), "the fleet wanted no more");
  }

  @Test
  void onceSettledAWindowWith429sLowersItByATenthAtMost() {
    assertEquals(FleetState.NONE.learned(19, VERSION, true), decide(learned(20, true), 19, 5));
    assertEquals(FleetState.NONE.learned(18, VERSION, true), decide(learned(20, true), 3, 5));
    assertNull(decide(learned(20, true), 20, 4), "what was accepted is the quota: no change");
  }

  @Test
  void eachInstancePacesAtAnEqualShareOfTheFleetsPace() {
    assertEquals(50, learning.spacingNanos(50), "until a window was read");
    decide(learned(20, true), 20, 4);
    assertEquals(200, learning.spacingNanos(50));
  }

  @Test
  void aLearnedStateIsStoredAndAnAnnouncedQuotaWinsOverIt() {
    FleetState learned = FleetState.NONE.learned(20, 2000, true);
    FleetState measuring = FleetState.NONE.learned(0, 2000, false);
    assertEquals(learned, FleetState.decode(learned.encode()));
    assertEquals(measuring, FleetState.decode(measuring.encode()));
    FleetState announced = new FleetState(50, 1000, 0, 1000);
    assertEquals(new FleetState(50, 1000, 0, 2000), learned.merge(announced));
    assertEquals(new FleetState(50, 1000, 0, 2000), announced.merge(learned));
  }
}
