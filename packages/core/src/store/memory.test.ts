import { describeEventStoreContract } from '../testing.ts';
import { getInMemoryEventStore } from './memory.ts';

describeEventStoreContract('memory', async () => getInMemoryEventStore());
