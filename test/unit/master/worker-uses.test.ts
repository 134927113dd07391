import {describe, expect, it} from 'vitest';

import {workerUses} from '../../../src/master/webui/cluster.js';

describe('workerUses: the hosts the Workers page and report capacity list', () => {
  const now = 1_000_000;
  const local = {host: 'local', capacityBytes: 100, usedBytes: 7};

  it('lists every recorded host by last contact, this one first with its figures of now', () => {
    const rows = workerUses(
      [
        {host: 'b-old', lastContact: now - 90_500, capacityBytes: 10, usedBytes: 1},
        {host: 'local', lastContact: now - 5000, capacityBytes: 1, usedBytes: 1},
        {host: 'a-recent', lastContact: now - 2000, capacityBytes: 20, usedBytes: 2},
        {host: 'c-recent', lastContact: now - 2999, capacityBytes: 30, usedBytes: 3},
        {host: 'a-now', lastContact: now, capacityBytes: 40, usedBytes: 4},
      ],
      local,
      now,
    );
    expect(rows).toEqual([
      {host: 'local', capacity: 100, used: 7, lastContactSec: 0},
      {host: 'a-now', capacity: 40, used: 4, lastContactSec: 0},
      {host: 'a-recent', capacity: 20, used: 2, lastContactSec: 2},
      {host: 'c-recent', capacity: 30, used: 3, lastContactSec: 2},
      {host: 'b-old', capacity: 10, used: 1, lastContactSec: 90},
    ]);
  });

  it('lists this host before it ever recorded a contact, and a clock ahead of ours as just now', () => {
    expect(workerUses([{host: 'x', lastContact: now + 5000, capacityBytes: 1, usedBytes: 0}], local, now)).toEqual([
      {host: 'local', capacity: 100, used: 7, lastContactSec: 0},
      {host: 'x', capacity: 1, used: 0, lastContactSec: 0},
    ]);
  });
});
