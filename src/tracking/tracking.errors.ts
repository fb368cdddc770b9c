import { NotFoundError } from 'src/common/errors/app-error';

export class AlertNotFoundError extends NotFoundError {
  constructor() {
    super('ALERTS_NOT_FOUND', 'No such alert');
  }
}
