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
  void whileMeasuringTheMostAcceptedInAWindowWith429sOfTheFirstThreeGivesTheQuota() {
    FleetState measuring = learned(0, false);
    assertNull(decide(measuring, 12, 16), "every refused call waits its Retry-After at once");
    assertNull(decide(measuring, 25, 0), "no 429: not the server's rate");
    assertEquals(FleetState.NONE.learned(19, VERSION, true), decide(measuring, 19, 3));
  }

  @Test
  void withNo429InTheFirstThreeWindowsItGoesOnMeasuring() {
    FleetState measuring = learned(0, false);
    for (int i = 0; i < 3; i++) assertNull(decide(measuring, 20, 0));
    assertEquals(FleetState.NONE.learned(21, VERSION, true), decide(measuring, 21, 1));
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
