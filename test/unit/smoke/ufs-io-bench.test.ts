import {describe, expect, it} from 'vitest';
import {speedStat} from '../../../src/smoke/ufs-io-bench.js';

const MIB = 1024 * 1024;

describe("runUfsIOTest's speed stats", () => {
  it("follow Alluxio's formulas (avg over summed durations, stdDev not divided by n) and add the aggregate", () => {
    const stat = speedStat(
      [
        {mode: 'WRITE', seconds: 1, bytes: 10 * MIB},
        {mode: 'WRITE', seconds: 2, bytes: 10 * MIB},
      ],
      2.5,
    );
    expect(stat.mTotalDurationSeconds).toBe(3);
    expect(stat.mTotalSizeBytes).toBe(20 * MIB);
    expect(stat.mMaxSpeedMbps).toBe(10);
    expect(stat.mMinSpeedMbps).toBe(5);
    expect(stat.mAvgSpeedMbps).toBeCloseTo(20 / 3, 10);
    expect(stat.mStdDev).toBeCloseTo(Math.sqrt((10 - 20 / 3) ** 2 + (5 - 20 / 3) ** 2), 10);
    expect(stat.mWallDurationSeconds).toBe(2.5);
    expect(stat.mAggregateSpeedMbps).toBe(8);
  });

  it('leave out points that took no time, and are all zero without points', () => {
    expect(speedStat([{mode: 'READ', seconds: 0, bytes: MIB}], 0)).toMatchObject({mTotalSizeBytes: 0, mMaxSpeedMbps: 0, mAggregateSpeedMbps: 0});
    expect(speedStat([], 0)).toMatchObject({
      mTotalDurationSeconds: 0,
      mTotalSizeBytes: 0,
      mMaxSpeedMbps: 0,
      mMinSpeedMbps: 0,
      mAvgSpeedMbps: 0,
      mStdDev: 0,
      mWallDurationSeconds: 0,
      mAggregateSpeedMbps: 0,
    });
  });
});
