import Testing
@testable import MatchingDomain

/// The replay file format and the replay itself (`matching-bench --input`).
@Suite struct CSVReplayTests {
    @Test func parsesOrdersWithTheStandardHeader() throws {
        let orders = try CSVReplay.parseOrders("id,side,price,quantity\n1,buy,1884,100\n2,sell,1885,200\n")
        #expect(orders == [
            ReplayOrder(line: 2, id: "1", side: .buy, price: 1_884, quantity: 100),
            ReplayOrder(line: 3, id: "2", side: .sell, price: 1_885, quantity: 200),
        ])
    }

    @Test func acceptsAnAccountColumnColumnsInAnyOrderCRLFAndBlankLines() throws {
        let text = "quantity,price,side,id,account\r\n\r\n10,5,SELL,x,acme\r\n"
        let orders = try CSVReplay.parseOrders(text)
        #expect(orders == [ReplayOrder(line: 3, id: "x", side: .sell, price: 5, quantity: 10, account: "acme")])
    }

    @Test func badSideIsReportedWithItsLineNumber() {
        #expect(throws: CSVReplayError(line: 3, message: "side 'hold' must be buy or sell")) {
            try CSVReplay.parseOrders("id,side,price,quantity\n1,buy,1,1\n2,hold,1,1\n")
        }
    }

    @Test func nonNumericOrNegativePriceIsABadLine() {
        #expect(throws: CSVReplayError.self) { try CSVReplay.parseOrders("id,side,price,quantity\n1,buy,18.84,1\n") }
        #expect(throws: CSVReplayError.self) { try CSVReplay.parseOrders("id,side,price,quantity\n1,buy,-5,1\n") }
        #expect(throws: CSVReplayError.self) {
            try CSVReplay.parseOrders("id,side,price,quantity\n1,buy,99999999999999999999,1\n")
        }
    }

    @Test func wrongFieldCountIsABadLine() {
        #expect(throws: CSVReplayError(line: 2, message: "expected 4 fields, found 3")) {
            try CSVReplay.parseOrders("id,side,price,quantity\n1,buy,5\n")
        }
    }

    @Test func headerMissingAColumnIsRejected() {
        #expect(throws: CSVReplayError(line: 1, message: "the header lacks the column(s) quantity")) {
            try CSVReplay.parseOrders("id,side,price\n")
        }
    }

    @Test func unknownColumnIsRejected() throws {
        let error = try #require(throws: CSVReplayError.self) { try CSVReplay.parseOrders("id,side,price,qty\n") }
        #expect(error.line == 1)
    }

    @Test func emptyFileIsRejected() {
        #expect(throws: CSVReplayError.self) { try CSVReplay.parseOrders("") }
    }

    @Test func quotedFieldIsRejected() {
        #expect(throws: CSVReplayError(line: 2, message: "quoted fields are not supported")) {
            try CSVReplay.parseOrders("id,side,price,quantity\n\"1\",buy,5,1\n")
        }
    }

    @Test func replayWritesTradesInExecutionOrder() throws {
        let orders = try CSVReplay.parseOrders("""
            id,side,price,quantity
            s1,sell,1885,100
            s2,sell,1884,100
            b1,buy,1890,150
            b2,buy,1884,100
            s3,sell,1800,300
            """)
        let result = CSVReplay.replay(orders)
        #expect(CSVReplay.tradesCSV(result.trades) == """
            buyOrderId,sellOrderId,price,quantity
            b1,s2,1884,100
            b1,s1,1885,50
            b2,s3,1884,100

            """)
        #expect(result.rejections == [])
    }

    @Test func replayHasNoPriceBand() throws {
        let orders = try CSVReplay.parseOrders("id,side,price,quantity\n1,buy,1000,1\n2,sell,100,1\n")
        #expect(CSVReplay.replay(orders).trades.map(\.price) == [1_000])
    }

    @Test func replayKeepsTheListedSizeRuleAndReportsRefusals() throws {
        let orders = try CSVReplay.parseOrders("id,side,price,quantity\n1,buy,1000,100000\n")
        let result = CSVReplay.replay(orders)
        #expect(result.rejections.map(\.code) == [.listedQuantityTooLarge])
        #expect(result.rejections.map(\.line) == [2])
    }

    @Test func replayPreventsSelfTradesWhenAccountsAreGiven() throws {
        let orders = try CSVReplay.parseOrders("id,side,price,quantity,account\n1,buy,1000,5,A\n2,sell,1000,5,A\n")
        #expect(CSVReplay.replay(orders).rejections.map(\.code) == [.selfTrade])
    }

    @Test func replayReportsARepeatedID() throws {
        let orders = try CSVReplay.parseOrders("id,side,price,quantity\n1,buy,1000,5\n1,sell,1000,5\n")
        let result = CSVReplay.replay(orders)
        #expect(result.rejections.map(\.code) == [.duplicateOrderID])
        #expect(result.trades.isEmpty)
    }
}
