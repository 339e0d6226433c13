import { describeGuarantees } from './guarantees';
import { STORE_FACTORIES } from './storeFactories';

for (const factory of STORE_FACTORIES) describeGuarantees(factory);
